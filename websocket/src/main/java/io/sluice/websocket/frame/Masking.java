package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RFC 6455 §5.3 masking: payload byte {@code i} is XORed with byte {@code i % 4} of the 32-bit masking key (the most
 * significant byte first). Masking and unmasking are the same operation. Works eight bytes at a time on the
 * buffer's memory (through its NIO views, which share it), not byte by byte through the buffer's accessors.
 *
 * <p>Ownership: buffers passed in stay their caller's; nothing is retained or released.
 */
public final class Masking {

    private static final long LOW_BITS = 0xffffffffL;

    private Masking() {
    }

    /**
     * XORs {@code length} bytes of {@code buf} from {@code index} in place, the first of them with key byte
     * {@code payloadOffset % 4}: {@code payloadOffset} is where that byte lies in its frame's payload, so a frame
     * can be unmasked piece by piece. {@code buf} must be writable.
     */
    public static void toggle(ByteBuf buf, int index, int length, int key, long payloadOffset) {
        if (length == 0) {
            return;
        }
        long offset = payloadOffset;
        for (ByteBuffer part : buf.nioBuffers(index, length)) {
            int size = part.remaining();
            toggle(part, key, offset);
            offset += size;
        }
    }

    /** Writes the readable bytes of {@code src}, masked with {@code key}, to {@code dst}; {@code src} is not read. */
    public static void copyMasked(ByteBuf src, ByteBuf dst, int key) {
        int length = src.readableBytes();
        int start = dst.writerIndex();
        dst.writeBytes(src, src.readerIndex(), length);
        toggle(dst, start, length, key, 0);
    }

    private static void toggle(ByteBuffer part, int key, long payloadOffset) {
        int rotated = Integer.rotateLeft(key, 8 * (int) (payloadOffset & 3));
        long wide = ((long) rotated << 32) | (rotated & LOW_BITS);
        ByteBuffer bytes = part.order() == ByteOrder.BIG_ENDIAN ? part
                : part.duplicate().order(ByteOrder.BIG_ENDIAN);
        int i = bytes.position();
        int end = bytes.limit();
        for (; i + 8 <= end; i += 8) {
            bytes.putLong(i, bytes.getLong(i) ^ wide);
        }
        for (int k = 0; i < end; i++, k++) {
            bytes.put(i, (byte) (bytes.get(i) ^ (rotated >>> (24 - 8 * (k & 3)))));
        }
    }
}
