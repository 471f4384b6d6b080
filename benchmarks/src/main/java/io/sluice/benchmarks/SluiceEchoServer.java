package io.sluice.benchmarks;

import io.sluice.api.Handler;
import io.sluice.reactor.Server;
import java.time.Duration;

/**
 * Sluice's {@code Server.tcp()} echoing with the handler a user writes: {@code c -> c.send(c.receive())}; with
 * {@link BenchTls}, under Sluice's TLS filter.
 */
final class SluiceEchoServer implements RunningServer {

    /** Raised above the 10,000 default so the idle-connection measurement is not refused. */
    private static final int MAX_CONNECTIONS = 100_000;

    private final Server server;
    private final AutoCloseable tls;

    private SluiceEchoServer(Server server, AutoCloseable tls) {
        this.server = server;
        this.tls = tls;
    }

    /** @param tls null for plain TCP */
    static SluiceEchoServer start(String host, int port, int threads, BenchTls tls) {
        Handler echo = c -> c.send(c.receive());
        BenchTls.SluiceServerTls sluiceTls = tls == null ? null : tls.sluiceServer();
        Server.Builder builder = Server.tcp()
                .host(host)
                .port(port)
                .eventLoopThreads(threads)
                .maxConnections(MAX_CONNECTIONS)
                .handler(echo);
        if (sluiceTls != null) {
            builder.filter(sluiceTls.filter());
        }
        return new SluiceEchoServer(builder.bind().block(Duration.ofSeconds(30)),
                sluiceTls == null ? null : sluiceTls.resources());
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void stop() {
        server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(30));
        if (tls != null) {
            try {
                tls.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot free the TLS context", e);
            }
        }
    }
}
