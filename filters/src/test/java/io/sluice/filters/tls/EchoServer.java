package io.sluice.filters.tls;

import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Sluice's TLS echo server, made from {@link TlsOptions} as an application makes it, on 127.0.0.1 and an ephemeral
 * port, for peers nobody here wrote. It remembers each connection's info (session, ALPN protocol) as it was when the
 * first data arrived. {@link #close()} shuts it down and closes its filter. Buffers: the echo hands each received
 * buffer to its send.
 */
final class EchoServer implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    final Server server;
    private final TlsFilter tls;
    private final List<ConnectionInfo> secured = new CopyOnWriteArrayList<>();

    /** A server on {@code provider} presenting {@code server.pem}, then {@code settings}. */
    EchoServer(TlsProvider provider, UnaryOperator<TlsOptions.Builder> settings) {
        this.tls = Tls.server(settings.apply(TlsOptions.server().provider(provider).keyMaterial(Fixtures.SERVER_RSA))
                .build());
        this.server = Server.tcp().allocator(SluiceTest.allocator()).filter(tls).handler(this::echo)
                .bind().block(TIMEOUT);
    }

    int port() {
        return server.port();
    }

    /** The info of the only connection that carried data, waiting (bounded) for it. */
    ConnectionInfo onlyConnection() {
        SocketTest.awaitNoConnections(server);
        if (secured.size() != 1) {
            throw new AssertionError("expected one connection with data, got " + secured + " (" + server.metrics()
                    + ")");
        }
        return secured.get(0);
    }

    private Publisher<Void> echo(Connection c) {
        AtomicBoolean first = new AtomicBoolean(true);
        return c.send(c.receive().doOnNext(b -> {
            if (first.getAndSet(false)) {
                secured.add(c.info());
            }
        })).onErrorResume(e -> Mono.empty());
    }

    @Override
    public void close() {
        try {
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        } finally {
            tls.close();
        }
        if (server.metrics().leaks() != 0 || server.metrics().outstandingBytes() != 0) {
            throw new AssertionError("the server leaked: " + server.metrics());
        }
    }
}
