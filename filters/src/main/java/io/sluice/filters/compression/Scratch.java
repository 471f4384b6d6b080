package io.sluice.filters.compression;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * One reusable byte array per thread that codecs write into before copying the result into a right-sized buffer:
 * small messages then cost a few bytes of budget, not a whole chunk, and idle connections hold no codec buffers.
 */
final class Scratch {

    /** The largest chunk a codec produces at once. */
    static final int MAX = 64 * 1024;

    private static final FastThreadLocal<byte[]> ARRAY = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX];
        }
    };

    private Scratch() {
    }

    static byte[] get() {
        return ARRAY.get();
    }
}
