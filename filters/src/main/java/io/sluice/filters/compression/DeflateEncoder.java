package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * zlib or raw deflate compression with the JDK's {@link Deflater}; its native state is ended on close.
 *
 * <p>The JDK's zlib always searches a 32 KiB window. A raw stream promised to a smaller one (a {@code window} of 8-14,
 * as permessage-deflate's {@code *_max_window_bits} agree) is made with Huffman coding alone: without back-references
 * no decoder's window is ever too small, and the bytes still compress by their frequencies.
 */
final class DeflateEncoder implements Encoder {

    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0);

    private final Deflater deflater;
    private final ByteBufAllocator alloc;
    private final int chunk;

    /** @param window log2 of the decoder's window: 0 or 15 for any, 8-14 (raw only) for Huffman coding alone */
    DeflateEncoder(int level, boolean raw, int window, ByteBufAllocator alloc, int chunk) {
        this.deflater = new Deflater(level, raw);
        if (window != 0 && window < 15) {
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
            // The JDK applies a new strategy in the next deflate call, and that call takes no input: make it now,
            // while there is none, so the first real call compresses (a raw stream has no header to write).
            if (deflater.deflate(Scratch.get(), 0, 16, Deflater.NO_FLUSH) != 0) {
                throw new IllegalStateException("raw deflate wrote output before any input");
            }
        }
        this.alloc = alloc;
        this.chunk = Math.min(chunk, Scratch.MAX);
    }

    @Override
    public void encode(ByteBuf in, boolean flush, Consumer<ByteBuf> out) {
        try {
            if (in.isReadable()) {
                deflater.setInput(in.nioBuffer());
                if (flush) {
                    flush(out); // the input goes in with the sync flush: one deflate call per buffer, not two
                } else {
                    while (!deflater.needsInput()) {
                        deflate(Deflater.NO_FLUSH, out);
                    }
                }
                deflater.setInput(NO_INPUT); // drop the reference to a buffer about to be released
            } else if (flush) {
                flush(out);
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void flush(Consumer<ByteBuf> out) {
        // SYNC_FLUSH until a call leaves room in the chunk: then all input is taken and all output produced.
        while (deflate(Deflater.SYNC_FLUSH, out) == chunk) {
            // more output pending
        }
    }

    @Override
    public void finish(Consumer<ByteBuf> out) {
        deflater.finish();
        while (!deflater.finished()) {
            deflate(Deflater.NO_FLUSH, out);
        }
    }

    private int deflate(int mode, Consumer<ByteBuf> out) {
        byte[] scratch = Scratch.get();
        int n = deflater.deflate(scratch, 0, chunk, mode);
        if (n > 0) {
            ByteBuf buf = alloc.buffer(n, n);
            buf.writeBytes(scratch, 0, n);
            out.accept(buf);
        }
        return n;
    }

    @Override
    public void close() {
        deflater.end();
    }
}
