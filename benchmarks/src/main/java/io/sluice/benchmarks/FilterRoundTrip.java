package io.sluice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.api.pipe.Pipe;
import io.sluice.filters.compression.Compression;
import io.sluice.filters.compression.CompressionOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Chunks through a {@link Compression} filter over the in-memory {@link Pipe}, no sockets: the left end's
 * {@code send} compresses, the right end's {@code receive} decompresses. The pipe delivers on the sending thread,
 * so one call does both sides' work on the caller's thread.
 */
final class FilterRoundTrip {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private FilterRoundTrip() {
    }

    /** Sends {@code chunks} compressed as one stream, ends it, and returns how many bytes were decompressed. */
    static long roundTrip(CompressionOptions options, List<byte[]> chunks) throws Exception {
        return roundTrip(Compression.of(options), chunks);
    }

    /**
     * Sends {@code chunks} through {@code filter} on both ends, ends the stream, and returns how many bytes came
     * out; with {@link Filter#identity()} this is the transport's own cost, which every filter pays too.
     */
    static long roundTrip(Filter filter, List<byte[]> chunks) throws Exception {
        Pipe pipe = Pipe.create();
        try {
            Connection sender = filter.apply(pipe.left());
            Connection receiver = filter.apply(pipe.right());
            CompletableFuture<Long> received = receiver.receive()
                    .reduce(0L, (n, buf) -> {
                        long total = n + buf.readableBytes();
                        buf.release();
                        return total;
                    })
                    .toFuture();
            sender.send(Flux.fromIterable(chunks).map(chunk -> copy(sender, chunk))).block(BOUND);
            sender.close(); // writes the end of the stream, then closes the left end
            return received.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pipe.close();
        }
    }

    /**
     * As {@link #roundTrip(CompressionOptions, List)}, but with one {@code send} per chunk, each finished before the
     * next: messages that come one at a time, each flushed on its own, never sharing a run with the next.
     */
    static long roundTripOneSendEach(CompressionOptions options, List<byte[]> chunks) throws Exception {
        return roundTripOneSendEach(Compression.of(options), chunks);
    }

    /** One {@code send} per chunk through {@code filter}; with {@link Filter#identity()}, the transport's cost. */
    static long roundTripOneSendEach(Filter filter, List<byte[]> chunks) throws Exception {
        Pipe pipe = Pipe.create();
        try {
            Connection sender = filter.apply(pipe.left());
            Connection receiver = filter.apply(pipe.right());
            CompletableFuture<Long> received = receiver.receive()
                    .reduce(0L, (n, buf) -> {
                        long total = n + buf.readableBytes();
                        buf.release();
                        return total;
                    })
                    .toFuture();
            for (byte[] chunk : chunks) {
                sender.send(Mono.fromSupplier(() -> copy(sender, chunk))).block(BOUND);
            }
            sender.close();
            return received.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pipe.close();
        }
    }

    /** The size of the compressed stream the filter writes for {@code chunks}, end included. */
    static long compressedSize(CompressionOptions options, List<byte[]> chunks) throws Exception {
        Pipe pipe = Pipe.create();
        try {
            Connection sender = Compression.of(options).apply(pipe.left());
            CompletableFuture<Long> wire = pipe.right().receive()
                    .reduce(0L, (n, buf) -> {
                        long total = n + buf.readableBytes();
                        buf.release();
                        return total;
                    })
                    .toFuture();
            sender.send(Flux.fromIterable(chunks).map(chunk -> copy(sender, chunk))).block(BOUND);
            sender.close();
            return wire.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pipe.close();
        }
    }

    /** A buffer of the sender's budget holding {@code chunk}; {@code send} takes ownership of it. */
    private static ByteBuf copy(Connection sender, byte[] chunk) {
        return sender.budget().allocator().directBuffer(chunk.length).writeBytes(chunk);
    }
}
