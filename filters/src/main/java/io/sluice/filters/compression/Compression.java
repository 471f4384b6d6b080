package io.sluice.filters.compression;

import io.sluice.api.Connection;
import io.sluice.api.Filter;
import java.util.Objects;

/**
 * Stream compression of a connection in both directions: what the upper connection sends is compressed into one
 * stream towards the peer, and what the peer sends is decompressed.
 *
 * <p>Ownership: {@code receive()} emits decompressed buffers (at most {@code chunkSize} each) that the subscriber
 * owns; {@code send(data)} takes ownership of every buffer {@code data} emits and releases it once compressed.
 * Compressed and decompressed buffers come from the connection's budget. Each outbound buffer is flushed so the
 * peer can decode it at once, unless {@link CompressionOptions.Builder#flushEveryBytes(int)} says otherwise; buffers
 * already queued together (a burst, or a backlog while the socket was busy) share one flush at the end of the run,
 * and no buffer ever waits for a later one. The end of every send flushes. {@code close()} writes the end of the
 * stream after the queued sends, then closes; its timeout runs on the event loop the filter was applied on (see
 * {@link io.sluice.api.timer.LoopScheduler}), or on Reactor's parallel scheduler when it was applied off any loop.
 *
 * <p>Bad input (corrupt or truncated data, a limit exceeded) makes {@code receive()} fail with a
 * {@link DecompressionException}, logs one WARN line naming the connection, closes the lower connection and
 * releases everything. Codec state (the JDK's zlib, Brotli's and zstd's native contexts) is freed when the
 * connection closes or the stream ends, never left to a finalizer.
 */
public final class Compression implements Filter {

    private final CompressionOptions options;

    private Compression(CompressionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        NativeLibraries.require(options.codec());
    }

    /**
     * The codec at its default level and limits. Brotli and zstd load their native library here, once, on the
     * calling thread; build filters at startup, not on an event loop.
     *
     * @throws IllegalStateException if the codec's optional dependency or native library is missing, naming it
     */
    public static Compression of(Codec codec) {
        return new Compression(CompressionOptions.builder(codec).build());
    }

    /** As {@link #of(Codec)}, with the given settings. */
    public static Compression of(CompressionOptions options) {
        return new Compression(options);
    }

    public CompressionOptions options() {
        return options;
    }

    @Override
    public Connection apply(Connection lower) {
        return new CompressedConnection(lower, options);
    }

    @Override
    public String toString() {
        return "Compression[" + options + "]";
    }
}
