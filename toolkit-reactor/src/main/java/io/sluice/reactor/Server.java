package io.sluice.reactor;

import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.sluice.api.BufferBudget;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.api.Handler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A TCP server running on Reactor Netty: every accepted socket becomes a {@link Connection}, the configured
 * {@link Filter}s are stacked on it, and the {@link Handler} runs on the top; when the handler terminates the
 * connection closes.
 *
 * <pre>{@code
 * Server server = Server.tcp()
 *         .host("127.0.0.1").port(9000)
 *         .handler(c -> c.send(c.receive()))      // echo
 *         .bind().block();
 * ...
 * server.shutdown(Duration.ofSeconds(5)).block();
 * }</pre>
 *
 * <p>Each connection allocates from its own {@link BufferBudget}; reading stops while it is exhausted. Epoll is
 * used when Netty's native transport is available.
 */
public final class Server {

    private static final Logger log = Loggers.getLogger(Server.class);
    /** How long shutdown waits, after force-closing, for closed connections to finish their cleanup. */
    private static final Duration CLEANUP_BOUND = Duration.ofSeconds(5);

    private final DisposableServer bound;
    private final LoopResources loops;
    private final ConnectionRegistry registry;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final Sinks.Empty<Void> terminated = Sinks.empty();

    private Server(DisposableServer bound, LoopResources loops, ConnectionRegistry registry) {
        this.bound = bound;
        this.loops = loops;
        this.registry = registry;
    }

    public static Builder tcp() {
        return new Builder();
    }

    /** The address the server is bound to, with the actual port when bound to port 0. */
    public InetSocketAddress address() {
        return (InetSocketAddress) bound.address();
    }

    public int port() {
        return address().getPort();
    }

    public String host() {
        return address().getHostString();
    }

    /** The open connections. */
    public ConnectionRegistry connections() {
        return registry;
    }

    public ConnectionMetrics metrics() {
        return registry.metrics();
    }

    /**
     * Shuts the server down gracefully: stops accepting, ends each connection's inbound stream (a handler that
     * finishes when its input ends then finishes) or, for a connection whose application took its
     * {@link io.sluice.api.GracefulShutdown} over, signals it and leaves its input open; waits up to {@code grace}
     * for connections to close, closes the rest, and releases the event loops. Completes within {@code grace} plus a few seconds whatever the peers do.
     * Idempotent: later calls return the first call's completion.
     */
    public Mono<Void> shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        return Mono.defer(() -> {
            if (!shuttingDown.compareAndSet(false, true)) {
                return terminated.asMono();
            }
            long start = System.nanoTime();
            log.info("shutting down {} with {} open connection(s), grace {} ms", address(), registry.active(),
                    grace.toMillis());
            bound.dispose();
            Mono<Void> drained = registry.drain();
            for (ChannelConnection c : registry.connections()) {
                c.finishInput();
            }
            return bound.onDispose()
                    .onErrorResume(e -> Mono.empty())
                    .then(drained.timeout(grace, Mono.defer(() -> forceClose(drained))))
                    .then(loops.disposeLater(Duration.ZERO, CLEANUP_BOUND))
                    .timeout(grace.plus(CLEANUP_BOUND.multipliedBy(2)), Mono.fromRunnable(() -> log.error(
                            "shutdown of {} did not finish cleanly in time; {} connection(s) remain",
                            address(), registry.active())))
                    .doFinally(s -> {
                        log.info("shut down {} in {} ms", address(),
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        terminated.tryEmitEmpty();
                    });
        });
    }

    /** Completes when a shutdown has finished. */
    public Mono<Void> onShutdown() {
        return terminated.asMono();
    }

    private Mono<Void> forceClose(Mono<Void> drained) {
        int left = registry.active();
        log.info("grace period over, closing {} remaining connection(s)", left);
        for (ChannelConnection c : registry.connections()) {
            c.close();
        }
        return drained.timeout(CLEANUP_BOUND, Mono.fromRunnable(() -> log.error(
                "{} connection(s) did not finish closing within {} ms", registry.active(), CLEANUP_BOUND.toMillis())));
    }

    @Override
    public String toString() {
        return "Server[" + bound.address() + ", " + registry.active() + " open]";
    }

    /** Settings of a {@link Server}; {@link #bind()} starts it. */
    public static final class Builder extends TransportBuilder<Builder> {
        private int port = 0;
        private Handler handler;
        private int maxConnections = 10_000;
        private Duration idleTimeout = Duration.ZERO;
        private int backlog = 1024;

        private Builder() {
            super(Runtime.getRuntime().availableProcessors());
        }

        @Override
        Builder self() {
            return this;
        }

        /** Port to bind; 0 (the default) picks a free one, readable from {@link Server#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The application; required. */
        public Builder handler(Handler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Connections open at once; further ones are closed on accept and counted as refused. Default 10,000. */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** Closes a connection that has neither read nor written for this long; zero (the default) disables it. */
        public Builder idleTimeout(Duration idleTimeout) {
            if (idleTimeout.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must not be negative, got " + idleTimeout);
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** Length of the accept queue. Default 1024. */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be >= 1, got " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Connections taken over from another server's channels instead of accepted on a port of its own, with
         * this builder's handler, filters, budget, allocator, connection limit and idle timeout (see
         * {@link Takeover}).
         *
         * @throws IllegalStateException if no handler is set
         */
        public Takeover takeover() {
            if (handler == null) {
                throw new IllegalStateException("a handler is required: call handler(...) before takeover()");
            }
            return new Takeover(handler, filter, settings(idleTimeout), maxConnections);
        }

        /** Binds and starts accepting; errors with a message naming the address if it cannot bind. */
        public Mono<Server> bind() {
            if (handler == null) {
                return Mono.error(new IllegalStateException("a handler is required: call handler(...) before bind()"));
            }
            ConnectionRegistry registry = new ConnectionRegistry();
            ConnectionSettings settings = settings(idleTimeout);
            LoopResources loops = LoopResources.create("sluice-server", 1, eventLoopThreads, true);
            Handler h = handler;
            Filter f = filter;
            int limit = maxConnections;
            Duration idle = idleTimeout;
            TcpServer tcp = TcpServer.create()
                    .host(host)
                    .port(port)
                    .runOn(loops)
                    .option(ChannelOption.SO_BACKLOG, backlog)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .doOnChannelInit((observer, channel, remote) -> {
                        if (!registry.admit(limit)) {
                            registry.metrics().onRefused();
                            // Reactor Netty passes no remote address for accepted channels; the channel has it.
                            // The logger is looked up on use, so that one installed later (a test's capture) is used.
                            Loggers.getLogger(Server.class).warn("connection limit of {} reached, refusing {}", limit,
                                    channel.remoteAddress());
                            channel.pipeline().addFirst(ChannelConnection.Refuser.INSTANCE);
                            return;
                        }
                        ChannelConnection c = ChannelConnection.install(channel, NettyPipeline.ReactiveBridge,
                                settings, registry);
                        c.markAdmitted();
                        if (!idle.isZero()) {
                            channel.pipeline().addBefore(ChannelConnection.GATE, "sluice.idle",
                                    new IdleStateHandler(0, 0, idle.toNanos(), TimeUnit.NANOSECONDS));
                        }
                    })
                    .doOnConnection(rc -> {
                        ChannelConnection c = rc.channel().attr(ChannelConnection.KEY).get();
                        if (c == null) {
                            return; // refused
                        }
                        Connection top;
                        try {
                            top = f.apply(c);
                        } catch (Throwable t) {
                            log.warn("[" + c.info().id() + "] filters failed to start, closing", t);
                            c.startWithoutHandler();
                            c.close();
                            return;
                        }
                        c.startHandler(h, top);
                    });
            String where = host + ":" + port;
            return tcp.bind()
                    .onErrorMap(e -> new IllegalStateException("cannot bind " + where + ": " + e.getMessage(), e))
                    .doOnError(e -> loops.disposeLater(Duration.ZERO, Duration.ofSeconds(1)).subscribe())
                    .map(bound -> {
                        Server server = new Server(bound, loops, registry);
                        log.info("server bound to {} ({} event loop(s), {})", server.address(), eventLoopThreads,
                                LoopResources.hasNativeSupport() ? "native transport" : "NIO");
                        return server;
                    });
        }
    }
}
