package io.sluice.filters.compression;

import com.aayushatharva.brotli4j.encoder.EncoderJNI;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Brotli compression with Brotli4j's streaming native encoder: input is copied into the encoder's own native input
 * buffer, output read from views of its native output and copied into right-sized buffers. The native state is
 * destroyed in {@link #close()}; Brotli4j's finalizer then finds nothing to do.
 */
final class BrotliEncoder implements Encoder {

    /** Brotli's own default window (4 MiB). */
    static final int DEFAULT_WINDOW = 22;
    private static final int INPUT_SIZE = 16 * 1024;

    private final EncoderJNI.Wrapper brotli;
    private final ByteBuffer input;
    private final ByteBufAllocator alloc;
    private final int chunk;
    private boolean closed;

    BrotliEncoder(int quality, int window, ByteBufAllocator alloc, int chunk) {
        try {
            this.brotli = new EncoderJNI.Wrapper(INPUT_SIZE, quality, window != 0 ? window : DEFAULT_WINDOW, null);
        } catch (IOException e) {
            throw new IllegalStateException("could not create a brotli encoder: " + e.getMessage(), e);
        }
        this.input = brotli.getInputBuffer();
        this.alloc = alloc;
        this.chunk = Math.min(chunk, Scratch.MAX);
    }

    @Override
    public void encode(ByteBuf in, boolean flush, Consumer<ByteBuf> out) {
        try {
            while (in.isReadable()) {
                int n = Math.min(in.readableBytes(), input.capacity());
                input.clear().limit(n);
                in.readBytes(input);
                brotli.push(EncoderJNI.Operation.PROCESS, n);
                drain(EncoderJNI.Operation.PROCESS, out);
            }
        } finally {
            in.release();
        }
        if (flush) {
            flush(out);
        }
    }

    @Override
    public void flush(Consumer<ByteBuf> out) {
        brotli.push(EncoderJNI.Operation.FLUSH, 0);
        drain(EncoderJNI.Operation.FLUSH, out);
    }

    @Override
    public void finish(Consumer<ByteBuf> out) {
        brotli.push(EncoderJNI.Operation.FINISH, 0);
        drain(EncoderJNI.Operation.FINISH, out);
        if (!brotli.isFinished()) {
            throw new IllegalStateException("brotli encoder did not finish the stream");
        }
    }

    /** Writes out what the last push produced, pushing on until the input is taken and no output is left. */
    private void drain(EncoderJNI.Operation op, Consumer<ByteBuf> out) {
        for (;;) {
            if (!brotli.isSuccess()) {
                throw new IllegalStateException("brotli encoder failed during " + op);
            }
            if (brotli.hasMoreOutput()) {
                emit(brotli.pull(), out);
            } else if (brotli.hasRemainingInput()) {
                brotli.push(op, 0);
            } else {
                return;
            }
        }
    }

    private void emit(ByteBuffer view, Consumer<ByteBuf> out) {
        int end = view.limit();
        while (view.position() < end) {
            int n = Math.min(end - view.position(), chunk);
            view.limit(view.position() + n);
            ByteBuf buf = alloc.buffer(n, n);
            buf.writeBytes(view);
            out.accept(buf);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            brotli.destroy();
        }
    }
}
