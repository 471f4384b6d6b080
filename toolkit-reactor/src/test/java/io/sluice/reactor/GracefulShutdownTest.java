package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.GracefulShutdown;
import io.sluice.test.SluiceTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A handler that takes its connection's graceful shutdown over keeps reading after the server starts shutting down
 * (to read a protocol's closing answer) and is told of the shutdown; one that does not sees its input end, as
 * before. Clients have no graceful shutdown.
 */
class GracefulShutdownTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aHandlerThatTookOverReadsOnAfterTheShutdownSignalAndFinishesByItself() throws Exception {
        CompletableFuture<String> readAfterSignal = new CompletableFuture<>();
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .handler(c -> {
                    GracefulShutdown shutdown = GracefulShutdown.of(c).orElseThrow();
                    // On the signal, say "bye"; the peer answers "ok" and the handler ends when it reads it.
                    Mono<Void> bye = shutdown.takeOver().then(c.send(Mono.fromSupplier(() -> text(c, "bye"))));
                    Mono<Void> untilOk = c.receive()
                            .map(b -> {
                                try {
                                    return b.toString(StandardCharsets.US_ASCII);
                                } finally {
                                    b.release();
                                }
                            })
                            .filter(s -> s.contains("ok"))
                            .next()
                            .doOnNext(readAfterSignal::complete)
                            .then();
                    return Mono.when(bye, untilOk);
                })
                .bind().block(TIMEOUT);
        try (Socket peer = new Socket("127.0.0.1", server.port())) {
            peer.setSoTimeout((int) TIMEOUT.toMillis());
            waitForActive(server);
            Mono<Void> shutdown = server.shutdown(Duration.ofSeconds(10)).cache();
            shutdown.subscribe();
            InputStream in = peer.getInputStream();
            byte[] bye = in.readNBytes(3);
            assertThat(new String(bye, StandardCharsets.US_ASCII)).isEqualTo("bye");
            OutputStream out = peer.getOutputStream();
            out.write("ok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readAfterSignal.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ok");
            long start = System.nanoTime();
            shutdown.block(TIMEOUT);
            // The handler ended by itself, long before the 10 s grace would have closed it.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void withoutTakingOverTheInputEndsAtShutdown() throws Exception {
        CompletableFuture<Boolean> inputEnded = new CompletableFuture<>();
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .handler(c -> c.receive().doOnNext(ByteBuf::release).then()
                        .doOnSuccess(v -> inputEnded.complete(true)))
                .bind().block(TIMEOUT);
        try (Socket peer = new Socket("127.0.0.1", server.port())) {
            waitForActive(server);
            server.shutdown(Duration.ofSeconds(10)).block(TIMEOUT);
            assertThat(inputEnded.getNow(false)).isTrue();
        }
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void takingOverAfterTheShutdownStartedSignalsAtOnce() throws Exception {
        CompletableFuture<Connection> connection = new CompletableFuture<>();
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .handler(c -> {
                    connection.complete(c);
                    return c.receive().doOnNext(ByteBuf::release).then();
                })
                .bind().block(TIMEOUT);
        try (Socket peer = new Socket("127.0.0.1", server.port())) {
            Connection c = connection.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            server.shutdown(Duration.ofSeconds(10)).block(TIMEOUT);
            GracefulShutdown shutdown = GracefulShutdown.of(c).orElseThrow();
            assertThat(shutdown.takeOver().timeout(Duration.ofSeconds(1)).blockOptional()).isEmpty();
        }
    }

    @Test
    void clientConnectionsHaveNoGracefulShutdown() {
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .handler(c -> c.receive().doOnNext(ByteBuf::release).then())
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(TIMEOUT);
            assertThat(GracefulShutdown.of(c)).isEmpty();
            c.close();
            c.onClose().block(TIMEOUT);
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
        }
    }

    private static ByteBuf text(Connection c, String s) {
        return c.budget().allocator().buffer().writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void waitForActive(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.metrics().active() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
