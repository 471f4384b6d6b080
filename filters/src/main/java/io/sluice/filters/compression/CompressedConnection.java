package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.timer.LoopScheduler;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/** The upper connection of a {@link Compression} filter; ownership as documented there. */
final class CompressedConnection extends ConnectionLayer {

    private final CompressionOptions options;
    private final GuardedEncoder encoder;
    private final AtomicBoolean closing = new AtomicBoolean();
    /**
     * The close timeout's timer: on the event loop the filter was applied on (the connection's, when the runtime
     * applies it), wherever {@code close()} is called; see {@link LoopScheduler}.
     */
    private final Scheduler timers = LoopScheduler.current();

    CompressedConnection(Connection lower, CompressionOptions options) {
        super(lower);
        this.options = options;
        this.encoder = new GuardedEncoder(() -> options.codec().newEncoder(options, lower.budget().allocator()),
                lower.budget().allocator());
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
        return lower.send(new CompressingFlux(data, encoder, lower.budget().allocator(), options.flushEveryBytes(),
                () -> breakStream("a send was cancelled midway")));
    }

    /** An encoder step as a flux of its output, if any. */
    private static Flux<ByteBuf> once(Step step) {
        ByteBuf[] out = new ByteBuf[1];
        Throwable[] error = new Throwable[1];
        emit(step, b -> out[0] = b, e -> error[0] = e);
        if (error[0] != null) {
            return Flux.error(error[0]);
        }
        return out[0] != null ? Flux.just(out[0]) : Flux.empty();
    }

    private interface Step {
        ByteBuf run() throws Exception;
    }

    /** Runs an encoder step; its output (if any) goes to {@code next}, a failure to {@code error}. */
    private static void emit(Step step, Consumer<ByteBuf> next, Consumer<Throwable> error) {
        ByteBuf out;
        try {
            out = step.run();
        } catch (Exception e) {
            error.accept(e);
            return;
        }
        if (out != null) {
            next.accept(out);
        }
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
        lower.send(Flux.defer(() -> once(encoder::finish)))
                .timeout(options.closeTimeout(), timers)
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    encoder.close();
                    lower.close();
                })
                .subscribe();
    }

    @Override
    public String toString() {
        return "CompressedConnection[" + options + ", " + lower.info().id() + "]";
    }
}
