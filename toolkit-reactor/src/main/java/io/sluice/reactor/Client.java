package io.sluice.reactor;

import io.netty.channel.ChannelOption;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

/**
 * Opens TCP connections with Reactor Netty and stacks the configured {@link Filter}s on each. A client owns its
 * event loops: {@link #dispose()} closes its connections and releases them.
 *
 * <pre>{@code
 * Client client = Client.tcp().host("127.0.0.1").port(9000).build();
 * Connection c = client.connect().block();
 * }</pre>
 *
 * <p>The connections follow {@link Connection}'s rules; closing one is the caller's job.
 */
public final class Client {

    private final TcpClient tcp;
    private final LoopResources loops;
    private final ConnectionRegistry registry;
    private final Filter filter;

    private Client(TcpClient tcp, LoopResources loops, ConnectionRegistry registry, Filter filter) {
        this.tcp = tcp;
        this.loops = loops;
        this.registry = registry;
        this.filter = filter;
    }

    public static Builder tcp() {
        return new Builder();
    }

    /**
     * Connects; emits the top connection (after the filters), or errors if the connection cannot be made within
     * the connect timeout. A failed attempt leaves no connection and no buffer behind.
     */
    public Mono<Connection> connect() {
        return tcp.connect().flatMap(rc -> {
            ChannelConnection c = rc.channel().attr(ChannelConnection.KEY).get();
            c.startWithoutHandler();
            try {
                return Mono.just(filter.apply(c));
            } catch (Throwable t) {
                c.close();
                return Mono.error(t);
            }
        });
    }

    /** The open connections of this client. */
    public ConnectionRegistry connections() {
        return registry;
    }

    public ConnectionMetrics metrics() {
        return registry.metrics();
    }

    /** Closes every connection of this client and releases its event loops. */
    public Mono<Void> dispose() {
        return Mono.defer(() -> {
            Mono<Void> drained = registry.drain();
            for (ChannelConnection c : registry.connections()) {
                c.close();
            }
            return drained.timeout(Duration.ofSeconds(5), Mono.empty())
                    .then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)));
        });
    }

    /** Settings of a {@link Client}. */
    public static final class Builder extends TransportBuilder<Builder> {
        private int port = -1;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
            super(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        }

        @Override
        Builder self() {
            return this;
        }

        /** The port to connect to; required. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** How long a connection attempt may take; default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Client build() {
            if (port < 0) {
                throw new IllegalStateException("a port is required: call port(...) before build()");
            }
            ConnectionRegistry registry = new ConnectionRegistry();
            ConnectionSettings settings = settings(Duration.ZERO);
            LoopResources loops = LoopResources.create("sluice-client", eventLoopThreads, true);
            TcpClient tcp = TcpClient.newConnection()
                    .host(host)
                    .port(port)
                    .runOn(loops)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            connectTimeout.toMillis()))
                    // A client has no handler whose end closes the socket: the peer's close closes it, so that
                    // a forgotten connection cannot linger half-closed.
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .doOnChannelInit((observer, channel, remote) ->
                            ChannelConnection.install(channel, NettyPipeline.ReactiveBridge, settings, registry));
            return new Client(tcp, loops, registry, filter);
        }
    }
}
