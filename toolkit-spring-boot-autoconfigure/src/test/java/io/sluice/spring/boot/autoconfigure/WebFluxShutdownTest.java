package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.test.SluiceTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

/**
 * In a WebFlux application the Sluice servers shut down in the phase of the web server's graceful shutdown, sharing
 * its timeout: closing the application takes the timeout at most, even with a connection that never finishes, and
 * leaves both the web server and the Sluice server closed.
 */
class WebFluxShutdownTest {

    @Test
    void webFluxApplicationWithAStuckSluiceConnectionClosesWithinTheShutdownPhase() throws Exception {
        SpringApplication application = new SpringApplication(WebApplication.class);
        application.setWebApplicationType(WebApplicationType.REACTIVE);
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context = application.run("--server.port=0", "--server.address=127.0.0.1",
                "--server.shutdown=graceful", "--spring.lifecycle.timeout-per-shutdown-phase=8s",
                // Reactor Netty's shared event loops otherwise wait 2 s of quiet after the web server has stopped.
                "--spring.reactor.netty.shutdown-quiet-period=0s", "--sluice.servers.stuck.port=0");
        int httpPort = ((WebServerApplicationContext) context).getWebServer().getPort();
        Server server = context.getBean(SluiceServers.class).get("stuck");
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeBytes(new byte[] {1, 2, 3})))
                    .block(Duration.ofSeconds(5));
            awaitBytesIn(server, 3); // the server holds the connection (sent is not yet received)

            long start = System.nanoTime();
            Mono<Long> sluiceDown = server.onShutdown().then(Mono.fromSupplier(System::nanoTime)).cache();
            sluiceDown.subscribe();
            context.close();
            long closed = System.nanoTime() - start;

            // The Sluice server waited its grace (6 s) for the stuck handler and was down within the phase's 8 s;
            // the web server then stopped in its own, later, phase. (A phase of 8 s leaves a reserve of 2 s for
            // closing what is left, wide enough for a loaded machine; with 4 s it would be 1 s.)
            assertThat(Duration.ofNanos(sluiceDown.block(Duration.ofSeconds(10)) - start))
                    .isBetween(Duration.ofSeconds(6), Duration.ofSeconds(8));
            assertThat(Duration.ofNanos(closed)).isLessThan(Duration.ofSeconds(12));
            c.receive().then().block(Duration.ofSeconds(5)); // the Sluice server closed the connection
            assertThat(server.metrics().leaks()).isZero();
            assertThatThrownBy(() -> connect(httpPort)).isInstanceOf(IOException.class);
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
        }
    }

    private static void awaitBytesIn(Server server, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.metrics().bytesIn() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.metrics().bytesIn()).isEqualTo(n);
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(GracefulShutdownTest.StuckApplication.class)
    static class WebApplication {
    }
}
