package io.sluice.filters.compression;

import com.aayushatharva.brotli4j.encoder.EncoderJNI;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Brotli compression with Brotli4j's streaming native encoder: input is copied into the encoder's own native input
 * buffer (and pushed once it is full or flushed), output read from views of its native output and copied into right-sized buffers. The native state is
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
    /** Bytes copied into the native input buffer, from its start, and not yet pushed. */
    private int staged;

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

    /**
     * Copies {@code in} into the encoder's native input buffer, where it waits, without a native call, until the
     * buffer is full or a flush comes: buffers sent together (a run of small messages) then cost one native call,
     * not one each, which matters most at the fastest qualities, where brotli compresses every push on its own.
     */
    @Override
    public void encode(ByteBuf in, boolean flush, Consumer<ByteBuf> out) {
        try {
            while (in.isReadable()) {
                int n = Math.min(in.readableBytes(), input.capacity() - staged);
                input.limit(staged + n).position(staged);
                in.readBytes(input);
                staged += n;
                if (staged == input.capacity()) {
                    push(EncoderJNI.Operation.PROCESS, out);
                }
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
        push(EncoderJNI.Operation.FLUSH, out);
    }

    @Override
    public void finish(Consumer<ByteBuf> out) {
        push(EncoderJNI.Operation.FINISH, out);
        if (!brotli.isFinished()) {
            throw new IllegalStateException("brotli encoder did not finish the stream");
        }
    }

    /** Hands the staged input to the encoder with {@code op} and writes out what it produced. */
    private void push(EncoderJNI.Operation op, Consumer<ByteBuf> out) {
        int n = staged;
        staged = 0;
        brotli.push(op, n);
        drain(op, out);
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
