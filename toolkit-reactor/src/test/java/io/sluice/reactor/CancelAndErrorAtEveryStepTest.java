package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The socket transport's operators (the inbound gate and the outbound writer) release what they hold whichever way a
 * stream ends: a receiver cancelling after each message, a send cancelled after each buffer, a send failing after
 * each buffer, and the peer closing in the middle.
 */
class CancelAndErrorAtEveryStepTest {

    private static final int MESSAGES = 12;

    private Client client;

    @BeforeEach
    void client() {
        client = null;
    }

    @AfterEach
    void dispose() {
        if (client != null) {
            client.dispose().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void receiverCancellingAfterEachMessageLeaksNothing() {
        for (int step = 0; step < MESSAGES; step++) {
            int take = step;
            Server server = Server.tcp().allocator(SluiceTest.allocator())
                    .handler(c -> c.receive().take(take).doOnNext(ByteBuf::release).then())
                    .bind().block(Duration.ofSeconds(5));
            client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
            Connection c = client.connect().block(Duration.ofSeconds(5));
            // The client writes until the server, having taken what it wanted, closes the connection.
            c.send(Flux.interval(Duration.ofMillis(2)).map(i -> buffer(c, 100))).onErrorResume(e -> Mono.empty())
                    .subscribe();
            // A server closing with the client's bytes unread makes its kernel reset the connection: either end.
            c.receive().doOnNext(ByteBuf::release).then()
                    .onErrorResume(io.sluice.api.ConnectionResetException.class, e -> Mono.empty())
                    .block(Duration.ofSeconds(10));
            c.onClose().block(Duration.ofSeconds(10));
            finish(server);
        }
    }

    @Test
    void sendCancelledAfterEachBufferLeaksNothing() {
        for (int step = 1; step <= MESSAGES; step++) {
            int cancelAt = step;
            Server server = Server.tcp().allocator(SluiceTest.allocator())
                    .handler(c -> {
                        Disposable.Swap send = reactor.core.Disposables.swap();
                        AtomicInteger emitted = new AtomicInteger();
                        Flux<ByteBuf> data = messages(c, MESSAGES).doOnNext(b -> {
                            if (emitted.incrementAndGet() == cancelAt) {
                                send.dispose();
                            }
                        });
                        send.update(c.send(data).subscribe());
                        return c.receive().doOnNext(ByteBuf::release).then();
                    })
                    .bind().block(Duration.ofSeconds(5));
            client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
            Connection c = client.connect().block(Duration.ofSeconds(5));
            c.receive().doOnNext(ByteBuf::release).take(Duration.ofMillis(100)).then().block(Duration.ofSeconds(5));
            c.close();
            c.onClose().block(Duration.ofSeconds(10));
            finish(server);
        }
    }

    @Test
    void sendFailingAfterEachBufferClosesTheConnectionAndLeaksNothing() {
        for (int step = 0; step <= MESSAGES; step++) {
            int failAt = step;
            Server server = Server.tcp().allocator(SluiceTest.allocator())
                    .handler(c -> c.send(messages(c, failAt).concatWith(Mono.error(new IOException("boom")))))
                    .bind().block(Duration.ofSeconds(5));
            client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
            Connection c = client.connect().block(Duration.ofSeconds(5));
            AtomicInteger bytes = new AtomicInteger();
            c.receive().doOnNext(b -> {
                bytes.addAndGet(b.readableBytes());
                b.release();
            }).then().block(Duration.ofSeconds(10));
            assertThat(bytes.get()).as("what was sent before the failure still arrives").isEqualTo(failAt * 100);
            c.onClose().block(Duration.ofSeconds(10));
            finish(server);
        }
    }

    @Test
    void peerClosingWhileTheServerIsSendingLeaksNothing() {
        for (int step = 0; step <= MESSAGES; step++) {
            int closeAfter = step;
            Server server = Server.tcp().allocator(SluiceTest.allocator())
                    .handler(c -> c.send(Flux.range(0, Integer.MAX_VALUE).map(i -> buffer(c, 1024))))
                    .bind().block(Duration.ofSeconds(5));
            client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
            Connection c = client.connect().block(Duration.ofSeconds(5));
            c.receive().take(closeAfter).doOnNext(ByteBuf::release).then().block(Duration.ofSeconds(10));
            c.close();
            c.onClose().block(Duration.ofSeconds(10));
            ShutdownTest.awaitActive(server, 0, Duration.ofSeconds(10));
            finish(server);
        }
    }

    private void finish(Server server) {
        client.dispose().block(Duration.ofSeconds(10));
        assertThat(client.metrics().leaks()).isZero();
        client = null;
        server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(20));
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().closed()).isEqualTo(server.metrics().accepted());
    }

    private static Flux<ByteBuf> messages(Connection c, int n) {
        return Flux.range(0, n).map(i -> buffer(c, 100));
    }

    private static ByteBuf buffer(Connection c, int size) {
        ByteBuf b = c.budget().allocator().buffer(size);
        b.writeZero(size);
        return b;
    }
}
