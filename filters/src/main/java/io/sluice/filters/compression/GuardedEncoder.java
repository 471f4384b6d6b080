package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.sluice.api.ConnectionClosedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Guards an {@link Encoder} whose native state must be freed exactly once and never while in use: a close that
 * arrives during an encode (a send racing the connection's close on another thread) is carried out by that encode
 * when it finishes ({@link CodecGuard}). The encoder is created on first use, so that a connection that never sends
 * holds no codec state.
 */
final class GuardedEncoder {

    private final Supplier<Encoder> factory;
    private final CodecGuard guard = new CodecGuard(this::free);
    private Encoder encoder;
    /** Input was compressed since the last flush: a flush now has something to make decodable. */
    private boolean unflushed;

    GuardedEncoder(Supplier<Encoder> factory) {
        this.factory = factory;
    }

    /** Compresses {@code in} (ownership taken); the chunks returned are the caller's. */
    List<ByteBuf> encode(ByteBuf in, boolean flush) throws ConnectionClosedException {
        List<ByteBuf> out = new ArrayList<>(2);
        if (!enter()) {
            in.release();
            throw closed();
        }
        try {
            encoder().encode(in, flush, out::add);
            unflushed = !flush;
        } catch (RuntimeException e) {
            release(out);
            throw e;
        } finally {
            exit();
        }
        return out;
    }

    List<ByteBuf> flush() throws ConnectionClosedException {
        List<ByteBuf> out = new ArrayList<>(1);
        if (!enter()) {
            throw closed();
        }
        try {
            // A flush with nothing new would still cost a call and put an empty block on the wire.
            if (encoder != null && unflushed) {
                encoder.flush(out::add);
                unflushed = false;
            }
        } catch (RuntimeException e) {
            release(out);
            throw e;
        } finally {
            exit();
        }
        return out;
    }

    /** Ends the stream; an encoder never used writes its (empty) stream too, so that the peer sees a whole one. */
    List<ByteBuf> finish() throws ConnectionClosedException {
        List<ByteBuf> out = new ArrayList<>(1);
        if (!enter()) {
            throw closed();
        }
        try {
            encoder().finish(out::add);
        } catch (RuntimeException e) {
            release(out);
            throw e;
        } finally {
            exit();
        }
        return out;
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

    private boolean enter() {
        return guard.enter();
    }

    private void exit() {
        guard.exit();
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

    private static void release(List<ByteBuf> buffers) {
        for (ByteBuf b : buffers) {
            b.release();
        }
    }
}
