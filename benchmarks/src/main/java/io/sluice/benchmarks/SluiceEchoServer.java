package io.sluice.benchmarks;

import io.sluice.api.Handler;
import io.sluice.reactor.Server;
import java.time.Duration;

/** Sluice's {@code Server.tcp()} echoing with the handler a user writes: {@code c -> c.send(c.receive())}. */
final class SluiceEchoServer implements RunningServer {

    /** Raised above the 10,000 default so the idle-connection measurement is not refused. */
    private static final int MAX_CONNECTIONS = 100_000;

    private final Server server;

    private SluiceEchoServer(Server server) {
        this.server = server;
    }

    static SluiceEchoServer start(String host, int port, int threads) {
        Handler echo = c -> c.send(c.receive());
        Server server = Server.tcp()
                .host(host)
                .port(port)
                .eventLoopThreads(threads)
                .maxConnections(MAX_CONNECTIONS)
                .handler(echo)
                .bind()
                .block(Duration.ofSeconds(30));
        return new SluiceEchoServer(server);
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void stop() {
        server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(30));
    }
}
