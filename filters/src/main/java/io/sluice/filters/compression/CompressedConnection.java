package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/** The upper connection of a {@link Compression} filter; ownership as documented there. */
final class CompressedConnection extends ConnectionLayer {

    private final CompressionOptions options;
    private final GuardedEncoder encoder;
    private final AtomicBoolean closing = new AtomicBoolean();

    CompressedConnection(Connection lower, CompressionOptions options) {
        super(lower);
        this.options = options;
        this.encoder = new GuardedEncoder(() -> options.codec().newEncoder(options, lower.budget().allocator()));
        lower.onClose().subscribe(null, e -> encoder.close(), encoder::close);
    }

    @Override
    public Flux<ByteBuf> receive() {
        return new DecompressingFlux(lower.receive(), () -> options.codec().newDecoder(options), options,
                lower.budget().allocator(), e -> {
                    Logger log = Loggers.getLogger(Compression.class);
                    log.warn("connection {}: closing on bad {} input: {}", lower.info().id(),
                            options.codec().label(), e.getMessage());
                    lower.close();
                });
    }

    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        int flushEvery = options.flushEveryBytes();
        Flux<ByteBuf> compressed = Flux.defer(() -> {
            long[] pending = new long[1];
            boolean[] consumed = new boolean[1];
            // One buffer at a time (prefetch 1), so that the application's buffers wait in its publisher, not here.
            // A failing send first lets the output of what the encoder already took reach the peer, then flushes:
            // the stream stays whole and later sends can go on. A send cancelled midway has lost output that the
            // encoder's state already counts on, so the stream is broken and the connection closes.
            return Flux.<ByteBuf>from(data)
                    .concatMapDelayError(buf -> {
                        consumed[0] = true;
                        pending[0] += buf.readableBytes();
                        boolean flush = flushEvery == 0 || pending[0] >= flushEvery;
                        if (flush) {
                            pending[0] = 0;
                        }
                        return Flux.fromIterable(encode(() -> encoder.encode(buf, flush)));
                    }, 1)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(encode(encoder::flush))))
                    .onErrorResume(e -> consumed[0]
                            ? Flux.defer(() -> Flux.fromIterable(encode(encoder::flush))).concatWith(Flux.error(e))
                            : Flux.error(e))
                    .doOnCancel(() -> {
                        if (consumed[0]) {
                            breakStream("a send was cancelled midway");
                        }
                    });
        });
        return lower.send(compressed);
    }

    private void breakStream(String why) {
        Logger log = Loggers.getLogger(Compression.class);
        if (log.isDebugEnabled()) {
            log.debug("connection {}: closing, {} of the {} stream", lower.info().id(), why, options.codec().label());
        }
        encoder.close();
        lower.close();
    }

    /**
     * Ends the compressed stream after the sends already queued, then closes the lower connection; if they do not
     * finish within the close timeout, closes without the stream's end.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        lower.send(Flux.defer(() -> Flux.fromIterable(encode(encoder::finish))))
                .timeout(options.closeTimeout())
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    encoder.close();
                    lower.close();
                })
                .subscribe();
    }

    private interface Step {
        List<ByteBuf> run() throws Exception;
    }

    private static List<ByteBuf> encode(Step step) {
        try {
            return step.run();
        } catch (Exception e) {
            throw Exceptions.propagate(e);
        }
    }

    @Override
    public String toString() {
        return "CompressedConnection[" + options + ", " + lower.info().id() + "]";
    }
}
