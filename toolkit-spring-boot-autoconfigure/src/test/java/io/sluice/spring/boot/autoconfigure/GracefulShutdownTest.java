package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ReferenceCounted;
import io.sluice.api.Connection;
import io.sluice.api.Handler;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceServerListener;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * Closing the context shuts the servers down gracefully within {@code spring.lifecycle.timeout-per-shutdown-phase},
 * leaving no buffer outstanding, in the phase of WebFlux's own graceful shutdown.
 */
class GracefulShutdownTest {

    @Test
    void serversShutDownInThePhaseOfWebFluxsGracefulShutdown() {
        assertThat(SluiceServers.PHASE).isEqualTo(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
    }

    @Test
    void graceIsTheTimeoutLessAReserveForClosingWhatIsLeft() {
        assertThat(servers(Duration.ofSeconds(30)).grace()).isEqualTo(Duration.ofSeconds(25));
        assertThat(servers(Duration.ofSeconds(4)).grace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(servers(Duration.ZERO).grace()).isZero();
    }

    @Test
    void stuckConnectionIsClosedWithinTheShutdownTimeoutAndEveryBufferIsReleased() {
        Contexts.withStarter().withUserConfiguration(StuckApplication.class)
                .withPropertyValues("sluice.servers.stuck.port=0",
                        // 8 s: a grace of 6 s and a reserve of 2 s for closing what is left, wide enough for a
                        // loaded machine (the closing takes milliseconds; with 4 s the reserve would be 1 s).
                        "spring.lifecycle.timeout-per-shutdown-phase=8s")
                .run(context -> {
                    Server server = context.getBean(SluiceServers.class).get("stuck");
                    Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
                    try {
                        Connection c = client.connect().block(Duration.ofSeconds(5));
                        byte[] bytes = "held up".getBytes();
                        c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeBytes(bytes)))
                                .block(Duration.ofSeconds(5));
                        awaitBytesIn(server, bytes.length);

                        ShutdownClock clock = context.getBean(ShutdownClock.class);
                        long start = System.nanoTime();
                        context.close();
                        long closed = System.nanoTime() - start;
                        long shutDown = clock.nanos.get(10, TimeUnit.SECONDS) - start;

                        // The handler never finishes: the servers waited the whole grace period (6 s), closed the
                        // connection, and were down within the 8 s the phase allows.
                        assertThat(Duration.ofNanos(shutDown)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(8));
                        assertThat(Duration.ofNanos(closed)).isLessThan(Duration.ofSeconds(10));
                        c.receive().then().block(Duration.ofSeconds(5)); // the server closed the connection
                        assertThat(server.connections().active()).isZero();
                        assertThat(server.metrics().outstandingBytes()).isZero();
                        assertThat(server.metrics().leaks()).isZero();
                    } finally {
                        client.dispose().block(Duration.ofSeconds(10));
                    }
                    SluiceTest.allocator().assertNoLeaks();
                });
    }

    @Test
    void handlersThatFinishWhenTheirInputEndsDoNotMakeShutdownWaitForTheTimeout() {
        Contexts.echoServer().withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=30s").run(context -> {
            Server server = context.getBean(SluiceServers.class).get("echo");
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
            try {
                Connection idle = client.connect().block(Duration.ofSeconds(5));
                awaitAccepted(server);
                long start = System.nanoTime();
                context.close();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                // The server closed the connection: the client's input ends.
                idle.receive().then().block(Duration.ofSeconds(5));
                assertThat(server.onShutdown().toFuture()).isDone();
            } finally {
                client.dispose().block(Duration.ofSeconds(10));
            }
        });
    }

    private static SluiceServers servers(Duration timeout) {
        return new SluiceServers(java.util.Map.of(), timeout, java.util.List.of());
    }

    private static void awaitAccepted(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.connections().active() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.connections().active()).isEqualTo(1);
    }

    private static void awaitBytesIn(Server server, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.metrics().bytesIn() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.metrics().bytesIn()).isEqualTo(n);
    }

    /** A handler that reads its input to the end, releasing it, and then never finishes. */
    @Configuration(proxyBeanMethods = false)
    static class StuckApplication {
        @Bean
        @SluiceHandler("stuck")
        Handler stuck() {
            return c -> c.receive().doOnNext(ReferenceCounted::release).then(Mono.never());
        }

        @Bean
        io.sluice.spring.boot.SluiceServerCustomizer testAllocator() {
            return (name, server) -> server.allocator(SluiceTest.allocator());
        }

        @Bean
        ShutdownClock shutdownClock() {
            return new ShutdownClock();
        }
    }

    /** When the servers told their listeners they had shut down. */
    static class ShutdownClock implements SluiceServerListener {
        final CompletableFuture<Long> nanos = new CompletableFuture<>();

        @Override
        public void shutDown(String name, Server server) {
            nanos.complete(System.nanoTime());
        }
    }
}
