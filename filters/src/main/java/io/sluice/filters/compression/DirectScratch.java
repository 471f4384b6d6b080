package io.sluice.filters.compression;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * Two reusable direct buffers per thread for native codecs that read and write only direct memory (zstd-jni): input
 * that is not one direct region is copied in, and output of unknown size is written here and copied out into
 * right-sized buffers, within one codec call. Nothing stays in them between
 * calls, so any number of connections share one pair per thread and an idle connection holds none.
 */
final class DirectScratch {

    private static final FastThreadLocal<DirectScratch> CURRENT = new FastThreadLocal<>() {
        @Override
        protected DirectScratch initialValue() {
            return new DirectScratch();
        }
    };

    /** An empty direct buffer, for calls that only flush or end. */
    static final ByteBuffer NO_INPUT = ByteBuffer.allocateDirect(0);

    private final ByteBuffer input = ByteBuffer.allocateDirect(Scratch.MAX);
    private final ByteBuffer output = ByteBuffer.allocateDirect(Scratch.MAX);

    private DirectScratch() {
    }

    static DirectScratch get() {
        return CURRENT.get();
    }

    /** The input buffer, cleared. */
    ByteBuffer input() {
        return input.clear();
    }

    /** The output buffer, cleared and limited to {@code size} bytes. */
    ByteBuffer output(int size) {
        output.clear();
        return output.limit(Math.min(size, Scratch.MAX));
    }
}
