package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import io.sluice.test.SluiceTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A server starts its handler once the connection's layers are {@link Connection#ready() ready}: not before, not at
 * all when a layer refuses the connection, and a connection closed while it waits still finishes.
 */
class ReadyBeforeHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A layer that is ready when the test says so. */
    private static Filter readyWhen(Sinks.Empty<Void> ready, CompletableFuture<Connection> applied) {
        return lower -> {
            Connection layer = new ConnectionLayer(lower) {
                @Override
                public Mono<Void> ready() {
                    return lower.ready().then(ready.asMono());
                }
            };
            applied.complete(layer);
            return layer;
        };
    }

    @Test
    void theHandlerStartsOnlyOnceTheLayersAreReady() throws Exception {
        Sinks.Empty<Void> ready = Sinks.empty();
        CompletableFuture<Connection> applied = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        Server server = Server.tcp().allocator(SluiceTest.allocator()).filter(readyWhen(ready, applied))
                .handler(c -> {
                    started.incrementAndGet();
                    return c.send(c.receive());
                })
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(TIMEOUT);
            applied.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Thread.sleep(200); // time in which a handler started at once would have started
            assertThat(started).as("handlers started before the layers were ready").hasValue(0);

            ready.tryEmitEmpty();
            c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeByte('x'))).block(TIMEOUT);
            ByteBuf echoed = c.receive().next().block(TIMEOUT);
            assertThat(echoed.readByte()).isEqualTo((byte) 'x');
            echoed.release();
            assertThat(started).hasValue(1);
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
    }

    @Test
    void aRefusedConnectionNeverRunsTheHandlerAndIsClosed() throws Exception {
        Sinks.Empty<Void> ready = Sinks.empty();
        CompletableFuture<Connection> applied = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        Server server = Server.tcp().allocator(SluiceTest.allocator()).filter(readyWhen(ready, applied))
                .handler(c -> {
                    started.incrementAndGet();
                    return Mono.never();
                })
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(TIMEOUT);
            applied.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ready.tryEmitError(new IOException("refused by a layer"));
            // The server closes: the client's inbound stream ends.
            c.receive().doOnNext(ByteBuf::release).then().onErrorResume(e -> Mono.empty()).block(TIMEOUT);
            awaitClosed(server);
            assertThat(started).hasValue(0);
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
    }

    @Test
    void aConnectionResetWhileWaitingFinishesWithoutAHandler() throws Exception {
        Sinks.Empty<Void> ready = Sinks.empty();
        CompletableFuture<Connection> applied = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        Server server = Server.tcp().allocator(SluiceTest.allocator()).filter(readyWhen(ready, applied))
                .handler(c -> {
                    started.incrementAndGet();
                    return c.send(c.receive());
                })
                .bind().block(TIMEOUT);
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            applied.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).receive().subscribe(ByteBuf::release, e -> { });
            peer.setSoLinger(true, 0); // closing resets the connection
            peer.close();
            awaitClosed(server);
            ready.tryEmitEmpty(); // too late: the connection is gone
            Thread.sleep(100);
            assertThat(started).hasValue(0);
            assertThat(server.metrics().active()).isZero();
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
    }

    private static void awaitClosed(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.metrics().closed() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.metrics().closed()).as("connections the server closed").isEqualTo(1);
    }
}
