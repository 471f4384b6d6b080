package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RFC 6455 §5.3 masking: payload byte {@code i} is XORed with byte {@code i % 4} of the 32-bit masking key (the most
 * significant byte first). Masking and unmasking are the same operation. Works eight bytes at a time, never byte by
 * byte through the buffer's accessors: a small payload (most messages) through the buffer's own {@code getLong} and
 * {@code setLong}, a larger one through the buffer's internal NIO buffer (no view is made for it), or its NIO views
 * when its memory is in pieces.
 *
 * <p>Ownership: buffers passed in stay their caller's; nothing is retained or released.
 */
public final class Masking {

    private static final long LOW_BITS = 0xffffffffL;
    /** Up to this many bytes, eight-byte steps through the buffer itself cost less than finding its memory. */
    static final int SMALL = 128;

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
        int rotated = rotated(key, payloadOffset);
        if (length <= SMALL) {
            toggleSmall(buf, index, length, rotated);
        } else if (buf.nioBufferCount() == 1) {
            toggle(buf.internalNioBuffer(index, length), rotated);
        } else {
            long offset = payloadOffset;
            for (ByteBuffer part : buf.nioBuffers(index, length)) {
                int size = part.remaining();
                toggle(part, rotated(key, offset));
                offset += size;
            }
        }
    }

    /** Writes the readable bytes of {@code src}, masked with {@code key}, to {@code dst}; {@code src} is not read. */
    public static void copyMasked(ByteBuf src, ByteBuf dst, int key) {
        copyToggled(src, src.readerIndex(), src.readableBytes(), dst, key, 0);
    }

    /**
     * Appends {@code length} bytes of {@code src} from {@code index} to {@code dst}, XORed as {@link #toggle} would;
     * {@code src} is left as it was. One pass for a small payload; a larger one is copied, then toggled in place.
     */
    public static void copyToggled(ByteBuf src, int index, int length, ByteBuf dst, int key, long payloadOffset) {
        if (length > SMALL) {
            int start = dst.writerIndex();
            ByteCopy.append(src, index, length, dst);
            toggle(dst, start, length, key, payloadOffset);
            return;
        }
        // Room made once, then set by index: a write per eight bytes would check the capacity each time.
        dst.ensureWritable(length);
        int at = dst.writerIndex();
        int rotated = rotated(key, payloadOffset);
        long wide = wide(rotated);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            dst.setLong(at + i, src.getLong(index + i) ^ wide);
        }
        for (int k = 0; i < length; i++, k++) {
            dst.setByte(at + i, src.getByte(index + i) ^ (rotated >>> (24 - 8 * (k & 3))));
        }
        dst.writerIndex(at + length);
    }

    /** The key turned so that its first byte applies at {@code payloadOffset}. */
    private static int rotated(int key, long payloadOffset) {
        return Integer.rotateLeft(key, 8 * (int) (payloadOffset & 3));
    }

    private static long wide(int key) {
        return ((long) key << 32) | (key & LOW_BITS);
    }

    private static void toggleSmall(ByteBuf buf, int index, int length, int rotated) {
        long wide = wide(rotated);
        int i = index;
        int end = index + length;
        for (; i + 8 <= end; i += 8) {
            buf.setLong(i, buf.getLong(i) ^ wide);
        }
        for (int k = 0; i < end; i++, k++) {
            buf.setByte(i, buf.getByte(i) ^ (rotated >>> (24 - 8 * (k & 3))));
        }
    }

    private static void toggle(ByteBuffer part, int rotated) {
        long wide = wide(rotated);
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
