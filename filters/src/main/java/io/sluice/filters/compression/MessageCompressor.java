package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sluice.api.ConnectionClosedException;
import java.util.Objects;

/**
 * Compresses messages one at a time, each flushed so that it decodes on its own: the building block of message-level
 * compression ({@link MessageCompression}, WebSocket's permessage-deflate). With context takeover, messages share
 * one compression context (better ratio, one native context held per connection); without it, each message gets a
 * fresh one that is freed at once.
 *
 * <p>Ownership: {@link #compress(ByteBuf)} takes the message and releases it; the compressed message it returns (from
 * the allocator given) belongs to the caller. Used by one thread at a time; {@link #close()} may come from any thread
 * and frees the context exactly once, never during a compression.
 */
public final class MessageCompressor implements AutoCloseable {

    private final CompressionOptions options;
    private final ByteBufAllocator alloc;
    private final boolean contextTakeover;
    private final CodecGuard guard;
    private Encoder shared;

    /**
     * @param contextTakeover whether one compression context runs across messages (each message then depends on
     *                        the ones before it) or each message has its own
     * @throws IllegalStateException naming the artifact to add, when the codec's native library cannot load here
     */
    public MessageCompressor(CompressionOptions options, ByteBufAllocator alloc, boolean contextTakeover) {
        this.options = Objects.requireNonNull(options, "options");
        NativeLibraries.require(options.codec());
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.contextTakeover = contextTakeover;
        this.guard = new CodecGuard(this::free);
    }

    /** The compressed form of {@code message}, as one (possibly composite) buffer. */
    public ByteBuf compress(ByteBuf message) throws ConnectionClosedException {
        if (!guard.enter()) {
            message.release();
            throw new ConnectionClosedException("the message compressor is closed");
        }
        CompositeByteBuf out = alloc.compositeBuffer(Integer.MAX_VALUE);
        Encoder encoder = null;
        try {
            encoder = contextTakeover ? sharedEncoder() : options.codec().newEncoder(options, alloc);
            encoder.encode(message, true, chunk -> out.addComponent(true, chunk));
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            if (!contextTakeover && encoder != null) {
                encoder.close();
            }
            guard.exit();
        }
    }

    private Encoder sharedEncoder() {
        Encoder e = shared;
        if (e == null) {
            e = shared = options.codec().newEncoder(options, alloc);
        }
        return e;
    }

    private void free() {
        Encoder e = shared;
        shared = null;
        if (e != null) {
            e.close();
        }
    }

    @Override
    public void close() {
        guard.close();
    }
}
