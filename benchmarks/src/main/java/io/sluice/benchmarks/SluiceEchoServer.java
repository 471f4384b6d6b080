package io.sluice.benchmarks;

import io.sluice.api.Handler;
import io.sluice.filters.tls.TlsFilter;
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
    private final TlsFilter tls;

    private SluiceEchoServer(Server server, TlsFilter tls) {
        this.server = server;
        this.tls = tls;
    }

    /** @param tls null for plain TCP */
    static SluiceEchoServer start(String host, int port, int threads, BenchTls tls) {
        Handler echo = c -> c.send(c.receive());
        TlsFilter filter = tls == null ? null : tls.sluiceFilter();
        Server.Builder builder = Server.tcp()
                .host(host)
                .port(port)
                .eventLoopThreads(threads)
                .maxConnections(MAX_CONNECTIONS)
                .handler(echo);
        if (filter != null) {
            builder.filter(filter);
        }
        return new SluiceEchoServer(builder.bind().block(Duration.ofSeconds(30)), filter);
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void stop() {
        server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(30));
        if (tls != null) {
            tls.close();
        }
    }
}
