package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sluice.api.ConnectionClosedException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Guards an {@link Encoder} whose native state must be freed exactly once and never while in use: a close that
 * arrives during an encode (a send racing the connection's close on another thread) is carried out by that encode
 * when it finishes ({@link CodecGuard}). The encoder is created on first use, so that a connection that never sends
 * holds no codec state.
 *
 * <p>Each call returns what the codec produced as one buffer (a composite when it came in several chunks), or
 * {@code null} when it produced nothing, so that a send maps each input buffer to at most one output buffer.
 */
final class GuardedEncoder {

    private final Supplier<Encoder> factory;
    private final ByteBufAllocator alloc;
    private final CodecGuard guard = new CodecGuard(this::free);
    private final Gather gather = new Gather();
    private Encoder encoder;
    /** Input was compressed since the last flush: a flush now has something to make decodable. */
    private boolean unflushed;

    GuardedEncoder(Supplier<Encoder> factory, ByteBufAllocator alloc) {
        this.factory = factory;
        this.alloc = alloc;
    }

    /** Compresses {@code in} (ownership taken); the result is the caller's. */
    ByteBuf encode(ByteBuf in, boolean flush) throws ConnectionClosedException {
        if (!guard.enter()) {
            in.release();
            throw closed();
        }
        try {
            encoder().encode(in, flush, gather);
            unflushed = !flush;
            return gather.take();
        } finally {
            gather.releaseLeftovers();
            guard.exit();
        }
    }

    /** Makes everything so far decodable; {@code null} when there was nothing to flush. */
    ByteBuf flush() throws ConnectionClosedException {
        if (!guard.enter()) {
            throw closed();
        }
        try {
            // A flush with nothing new would still cost a call and put an empty block on the wire.
            if (encoder != null && unflushed) {
                encoder.flush(gather);
                unflushed = false;
            }
            return gather.take();
        } finally {
            gather.releaseLeftovers();
            guard.exit();
        }
    }

    /** Ends the stream; an encoder never used writes its (empty) stream too, so that the peer sees a whole one. */
    ByteBuf finish() throws ConnectionClosedException {
        if (!guard.enter()) {
            throw closed();
        }
        try {
            encoder().finish(gather);
            return gather.take();
        } finally {
            gather.releaseLeftovers();
            guard.exit();
        }
    }

    /** Input went in since the last flush: a flush would make more bytes decodable. */
    boolean unflushed() {
        return unflushed;
    }

    /** Frees the codec state now, or as soon as the encode in progress ends; idempotent. */
    void close() {
        guard.close();
    }

    private Encoder encoder() {
        Encoder e = encoder;
        if (e == null) {
            e = encoder = factory.get();
        }
        return e;
    }

    private void free() {
        Encoder e = encoder;
        encoder = null;
        if (e != null) {
            e.close();
        }
    }

    private static ConnectionClosedException closed() {
        return new ConnectionClosedException("the compressed stream is closed");
    }

    /** Collects one call's output without a list: usually one chunk, a composite only when there are more. */
    private final class Gather implements Consumer<ByteBuf> {
        private ByteBuf single;
        private CompositeByteBuf several;

        @Override
        public void accept(ByteBuf chunk) {
            if (several != null) {
                several.addComponent(true, chunk);
            } else if (single == null) {
                single = chunk;
            } else {
                several = alloc.compositeBuffer(Integer.MAX_VALUE).addComponents(true, single, chunk);
                single = null;
            }
        }

        /** The output so far, handed over; null if none. */
        ByteBuf take() {
            ByteBuf out = several != null ? several : single;
            several = null;
            single = null;
            return out;
        }

        /** After a failed call: what was produced is not handed over, so it is released here. */
        void releaseLeftovers() {
            ByteBuf left = take();
            if (left != null) {
                left.release();
            }
        }
    }
}
