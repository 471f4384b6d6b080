package io.sluice.reactor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.api.Handler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.NettyPipeline;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Serves connections taken over from another server: channels that some other Netty server accepted and spoke its
 * own protocol on (an HTTP server, up to an upgrade), handed over to a Sluice {@link Handler} from then on, with a
 * {@link Server}'s filters, budgets, connection limit, idle timeout, metrics and graceful shutdown, but no socket of
 * its own. Made with {@link Server.Builder#takeover()}; the builder's host, port, backlog and event-loop threads do
 * not apply (the channels keep their own event loops).
 *
 * <pre>{@code
 * Takeover upgraded = Server.tcp().filter(...).handler(handler).takeover();
 * // on the other server, once its protocol is done with the channel:
 * upgraded.adopt(channel, bytesAlreadyRead, pipeline -> pipeline.remove("httpCodec")).subscribe();
 * }</pre>
 *
 * <p>Ownership: {@link #adopt} takes the prelude buffer and the channel; from then on the channel's inbound bytes
 * go to the connection's budget and the handler, as on a {@link Server}'s connections.
 */
public final class Takeover {

    private static final Logger log = Loggers.getLogger(Takeover.class);
    private static final String PRELUDE = "sluice.prelude";
    private static final String IDLE = "sluice.idle";
    private static final Duration CLEANUP_BOUND = Duration.ofSeconds(5);

    private final Handler handler;
    private final Filter filter;
    private final ConnectionSettings settings;
    private final int maxConnections;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final Sinks.Empty<Void> terminated = Sinks.empty();

    Takeover(Handler handler, Filter filter, ConnectionSettings settings, int maxConnections) {
        this.handler = handler;
        this.filter = filter;
        this.settings = settings;
        this.maxConnections = maxConnections;
    }

    /**
     * Takes {@code channel} over: puts the Sluice inbound gate in its pipeline (before Reactor Netty's bridge, or
     * last), hands it {@code prelude} (bytes the other server read that belong to the Sluice connection, copied into
     * the connection's budget and released), runs {@code unwrap} so that the other server's protocol handlers leave
     * the pipeline (bytes they still hold then reach the gate after the prelude), stacks the filters and starts the
     * handler. Runs on the channel's event loop; the result completes when the connection has finished (channel
     * closed, handler ended, buffers checked for leaks). Cancelling the result does not close the connection.
     *
     * <p>A channel over the connection limit, or arriving during shutdown, is closed at once.
     *
     * @param prelude its ownership passes here; may be empty
     * @param unwrap  removes the other server's protocol handlers (codecs) from the pipeline; handlers below them
     *                (TLS) stay and keep working
     */
    public Mono<Void> adopt(Channel channel, ByteBuf prelude, Consumer<ChannelPipeline> unwrap) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(prelude, "prelude");
        Objects.requireNonNull(unwrap, "unwrap");
        Sinks.Empty<Void> done = Sinks.empty();
        Runnable start = () -> start(channel, prelude, unwrap, done);
        if (channel.eventLoop().inEventLoop()) {
            start.run();
        } else {
            try {
                channel.eventLoop().execute(start);
            } catch (RejectedExecutionException stopped) {
                prelude.release();
                channel.close();
                return Mono.empty();
            }
        }
        return done.asMono();
    }

    private void start(Channel channel, ByteBuf prelude, Consumer<ChannelPipeline> unwrap, Sinks.Empty<Void> done) {
        if (shuttingDown.get() || !channel.isActive() || !registry.admit(maxConnections)) {
            prelude.release();
            if (!shuttingDown.get() && channel.isActive()) {
                registry.metrics().onRefused();
                log.warn("connection limit of {} reached, refusing {}", maxConnections, channel.remoteAddress());
            }
            channel.close();
            done.tryEmitEmpty();
            return;
        }
        ChannelConnection c;
        try {
            String before = channel.pipeline().get(NettyPipeline.ReactiveBridge) != null
                    ? NettyPipeline.ReactiveBridge : null;
            c = ChannelConnection.install(channel, before, settings, registry);
        } catch (RuntimeException e) {
            prelude.release();
            log.warn("could not take over " + channel + ", closing it", e);
            channel.close();
            done.tryEmitEmpty();
            return;
        }
        c.markAdmitted();
        c.onClose().subscribe(null, null, done::tryEmitEmpty);
        if (!settings.idleTimeout().isZero()) {
            channel.pipeline().addBefore(ChannelConnection.GATE, IDLE,
                    new IdleStateHandler(0, 0, settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        }
        try {
            deliver(channel, prelude);
            unwrap.accept(channel.pipeline());
        } catch (RuntimeException e) {
            log.warn("[" + c.info().id() + "] could not clear the pipeline for the takeover, closing", e);
            c.startWithoutHandler();
            c.close();
            return;
        }
        Connection top;
        try {
            top = filter.apply(c);
        } catch (Throwable t) {
            log.warn("[" + c.info().id() + "] filters failed to start, closing", t);
            c.startWithoutHandler();
            c.close();
            return;
        }
        c.startHandler(handler, top);
    }

    /** Passes the prelude, copied into the connection's budget, to the gate as if just read. */
    private static void deliver(Channel channel, ByteBuf prelude) {
        if (!prelude.isReadable()) {
            prelude.release();
            return;
        }
        ByteBuf copy;
        try {
            copy = channel.alloc().buffer(prelude.readableBytes()).writeBytes(prelude);
        } finally {
            prelude.release();
        }
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addBefore(ChannelConnection.GATE, PRELUDE, new ChannelInboundHandlerAdapter());
        try {
            pipeline.context(PRELUDE).fireChannelRead(copy);
            pipeline.context(PRELUDE).fireChannelReadComplete();
        } finally {
            pipeline.remove(PRELUDE);
        }
    }

    /** The connections open now. */
    public ConnectionRegistry connections() {
        return registry;
    }

    public ConnectionMetrics metrics() {
        return registry.metrics();
    }

    /**
     * Shuts down gracefully, as {@link Server#shutdown(Duration)}: channels handed over from now on are closed, each
     * open connection's input ends (or its application is signalled, if it took its graceful shutdown over), and
     * what is still open after {@code grace} is closed. Idempotent.
     */
    public Mono<Void> shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        return Mono.defer(() -> {
            if (!shuttingDown.compareAndSet(false, true)) {
                return terminated.asMono();
            }
            Mono<Void> drained = registry.drain();
            for (ChannelConnection c : registry.connections()) {
                c.finishInput();
            }
            return drained.timeout(grace, Mono.defer(() -> {
                        for (ChannelConnection c : registry.connections()) {
                            c.close();
                        }
                        return drained.timeout(CLEANUP_BOUND, Mono.fromRunnable(() -> log.error(
                                "{} taken-over connection(s) did not finish closing within {} ms",
                                registry.active(), CLEANUP_BOUND.toMillis())));
                    }))
                    .doFinally(s -> terminated.tryEmitEmpty());
        });
    }

    /** Completes when a shutdown has finished. */
    public Mono<Void> onShutdown() {
        return terminated.asMono();
    }

    @Override
    public String toString() {
        return "Takeover[" + registry.active() + " open]";
    }
}
