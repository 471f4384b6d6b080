package io.sluice.reactor;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** Bounded waits on what a server's metrics report, for tests that must see a connection's end on the server. */
final class ServerWaits {

    private ServerWaits() {
    }

    /** Waits up to {@code bound} until {@code server} has closed {@code n} connections; returns how many it has. */
    static long awaitClosed(Server server, long n, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (server.metrics().closed() < n && System.nanoTime() < deadline) {
            Mono.delay(Duration.ofMillis(10)).block();
        }
        return server.metrics().closed();
    }
}
