package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;

/**
 * RFC 6455 §5.3 masking: payload byte {@code i} is XORed with byte {@code i % 4} of the 32-bit masking key (the most
 * significant byte first). Masking and unmasking are the same operation. Works eight bytes at a time.
 *
 * <p>Ownership: buffers passed in stay their caller's; nothing is retained or released.
 */
public final class Masking {

    private static final long HIGH_BITS = 0xffffffffL;

    private Masking() {
    }

    /**
     * XORs {@code length} bytes of {@code buf} from {@code index} in place, the first of them with key byte
     * {@code payloadOffset % 4}: {@code payloadOffset} is where that byte lies in its frame's payload, so a frame
     * can be unmasked piece by piece.
     */
    public static void toggle(ByteBuf buf, int index, int length, int key, long payloadOffset) {
        int rotated = Integer.rotateLeft(key, 8 * (int) (payloadOffset & 3));
        long wide = ((long) rotated << 32) | (rotated & HIGH_BITS);
        int i = index;
        int end = index + length;
        for (; i + 8 <= end; i += 8) {
            buf.setLong(i, buf.getLong(i) ^ wide);
        }
        for (int k = 0; i < end; i++, k++) {
            buf.setByte(i, buf.getByte(i) ^ keyByte(rotated, k));
        }
    }

    /** Writes the readable bytes of {@code src}, masked with {@code key}, to {@code dst}; {@code src} is not read. */
    public static void copyMasked(ByteBuf src, ByteBuf dst, int key) {
        long wide = ((long) key << 32) | (key & HIGH_BITS);
        int length = src.readableBytes();
        dst.ensureWritable(length);
        int i = src.readerIndex();
        int end = i + length;
        for (; i + 8 <= end; i += 8) {
            dst.writeLong(src.getLong(i) ^ wide);
        }
        for (int k = 0; i < end; i++, k++) {
            dst.writeByte(src.getByte(i) ^ keyByte(key, k));
        }
    }

    private static int keyByte(int key, int k) {
        return key >>> (24 - 8 * (k & 3));
    }
}
