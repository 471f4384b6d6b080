package io.sluice.filters.compression;

import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Brotli decompression with Brotli4j's streaming native decoder, one chunk of at most {@code maxBytes} per call:
 * the decoder's output is a view of its native ring buffer, copied out a chunk at a time and valid until the next
 * push, so a bomb never expands beyond one window. Brotli's format caps the window at 16 MiB (large windows are
 * off), and Brotli4j offers no lower cap. The native state is destroyed in {@link #close()}.
 */
final class BrotliDecoder extends InputHoldingDecoder {

    private static final int INPUT_SIZE = 16 * 1024;

    private final DecoderJNI.Wrapper brotli;
    private final ByteBuffer input;
    private ByteBuffer output; // not yet copied out
    private boolean closed;

    BrotliDecoder() {
        try {
            this.brotli = new DecoderJNI.Wrapper(INPUT_SIZE);
        } catch (IOException e) {
            throw new IllegalStateException("could not create a brotli decoder: " + e.getMessage(), e);
        }
        this.input = brotli.getInputBuffer();
    }


    @Override
    public ByteBuf next(ByteBufAllocator alloc, int maxBytes) throws DecompressionException {
        if (pending == null && (output == null || !output.hasRemaining())) {
            return null;
        }
        for (;;) {
            if (output != null && output.hasRemaining()) {
                return copy(alloc, maxBytes);
            }
            output = null;
            DecoderJNI.Status status = brotli.getStatus();
            if (status == DecoderJNI.Status.ERROR) {
                throw new DecompressionException("corrupt brotli stream");
            }
            if (brotli.hasOutput() || status == DecoderJNI.Status.NEEDS_MORE_OUTPUT) {
                output = brotli.pull();
            } else if (status == DecoderJNI.Status.OK) {
                brotli.push(0);
            } else if (status == DecoderJNI.Status.DONE) {
                if (pending != null && pending.isReadable()) {
                    throw new DecompressionException(pending.readableBytes() + " bytes after the end of the brotli "
                            + "stream");
                }
                return dropInput();
            } else if (pending == null || !pending.isReadable()) {
                return dropInput(); // needs more input
            } else {
                int n = Math.min(pending.readableBytes(), input.capacity());
                input.clear().limit(n);
                pending.readBytes(input);
                brotli.push(n);
            }
        }
    }

    private ByteBuf copy(ByteBufAllocator alloc, int maxBytes) {
        int end = output.limit();
        int n = Math.min(end - output.position(), Math.min(maxBytes, Scratch.MAX));
        output.limit(output.position() + n);
        ByteBuf out = alloc.buffer(n, n);
        try {
            out.writeBytes(output);
        } finally {
            output.limit(end);
        }
        return out;
    }


    @Override
    public boolean finished() {
        return brotli.getStatus() == DecoderJNI.Status.DONE;
    }

    @Override
    public void close() {
        dropInput();
        output = null;
        if (!closed) {
            closed = true;
            brotli.destroy();
        }
    }
}
