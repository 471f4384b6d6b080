package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import io.sluice.api.Handler;
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

    /**
     * A server whose one filter is ready when the test says so ({@link #ready}), recording the layer it applied and
     * how many handlers started; each handler runs {@code handler} once started.
     */
    private static final class Gated implements AutoCloseable {
        final Sinks.Empty<Void> ready = Sinks.empty();
        final CompletableFuture<Connection> applied = new CompletableFuture<>();
        final AtomicInteger started = new AtomicInteger();
        final Server server;

        Gated(Handler handler) {
            Filter readyWhenTold = lower -> {
                Connection layer = new ConnectionLayer(lower) {
                    @Override
                    public Mono<Void> ready() {
                        return lower.ready().then(ready.asMono());
                    }
                };
                applied.complete(layer);
                return layer;
            };
            server = Server.tcp().allocator(SluiceTest.allocator()).filter(readyWhenTold)
                    .handler(c -> {
                        started.incrementAndGet();
                        return handler.handle(c);
                    })
                    .bind().block(TIMEOUT);
        }

        /** The layer the filter made for the connection, once it has. */
        Connection layer() throws Exception {
            return applied.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        long awaitClosed() {
            return ServerWaits.awaitClosed(server, 1, TIMEOUT);
        }

        @Override
        public void close() {
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
    }

    @Test
    void theHandlerStartsOnlyOnceTheLayersAreReady() throws Exception {
        try (Gated gated = new Gated(c -> c.send(c.receive()))) {
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(gated.server.port()).build();
            try {
                Connection c = client.connect().block(TIMEOUT);
                gated.layer();
                Thread.sleep(200); // time in which a handler started at once would have started
                assertThat(gated.started).as("handlers started before the layers were ready").hasValue(0);

                gated.ready.tryEmitEmpty();
                c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeByte('x'))).block(TIMEOUT);
                ByteBuf echoed = c.receive().next().block(TIMEOUT);
                assertThat(echoed.readByte()).isEqualTo((byte) 'x');
                echoed.release();
                assertThat(gated.started).hasValue(1);
            } finally {
                client.dispose().block(TIMEOUT);
            }
        }
    }

    @Test
    void aRefusedConnectionNeverRunsTheHandlerAndIsClosed() throws Exception {
        try (Gated gated = new Gated(c -> Mono.never())) {
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(gated.server.port()).build();
            try {
                Connection c = client.connect().block(TIMEOUT);
                gated.layer();
                gated.ready.tryEmitError(new IOException("refused by a layer"));
                // The server closes: the client's inbound stream ends.
                c.receive().doOnNext(ByteBuf::release).then().onErrorResume(e -> Mono.empty()).block(TIMEOUT);
                assertThat(gated.awaitClosed()).as("connections the server closed").isEqualTo(1);
                assertThat(gated.started).hasValue(0);
            } finally {
                client.dispose().block(TIMEOUT);
            }
        }
    }

    @Test
    void aConnectionResetWhileWaitingFinishesWithoutAHandler() throws Exception {
        try (Gated gated = new Gated(c -> c.send(c.receive()));
             Socket peer = new Socket(InetAddress.getLoopbackAddress(), gated.server.port())) {
            gated.layer().receive().subscribe(ByteBuf::release, e -> { });
            peer.setSoLinger(true, 0); // closing resets the connection
            peer.close();
            assertThat(gated.awaitClosed()).as("connections the server closed").isEqualTo(1);
            gated.ready.tryEmitEmpty(); // too late: the connection is gone
            Thread.sleep(100);
            assertThat(gated.started).hasValue(0);
            assertThat(gated.server.metrics().active()).isZero();
        }
    }
}
