package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import io.sluice.test.SluiceTest;
import java.io.ByteArrayOutputStream;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** When a handler ends, the runtime closes the top connection, so that each filter can end its stream first. */
class CloseThroughFiltersTest {

    /** A filter that, on close, writes a goodbye after the queued sends and then closes the lower connection. */
    private static final Filter GOODBYE = lower -> new ConnectionLayer(lower) {
        @Override
        public void close() {
            ByteBuf bye = lower.budget().allocator().buffer().writeBytes("bye".getBytes(StandardCharsets.US_ASCII));
            lower.send(Mono.just(bye)).doFinally(s -> lower.close()).subscribe();
        }
    };

    @Test
    void aFilterWritesItsClosingBytesBeforeTheSocketCloses() throws Exception {
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(GOODBYE)
                .handler(c -> c.send(Mono.just(c.budget().allocator().buffer()
                        .writeBytes("hello ".getBytes(StandardCharsets.US_ASCII)))))
                .bind().block(Duration.ofSeconds(5));
        try (SocketChannel peer = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (peer.read(buf) >= 0) {
                got.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo("hello bye");
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
        assertThat(server.metrics().leaks()).isZero();
    }

    /**
     * The timer that would overrule a filter slow to close must go with the socket: pending, it would keep the
     * socket's connection, and through it every filter's state (a TLS engine and session, a codec), in memory for the
     * full bound.
     */
    @Test
    void aConnectionItsFiltersClosedIsNotHeldInMemoryAfterwards() throws Exception {
        AtomicReference<WeakReference<Connection>> socket = new AtomicReference<>();
        Filter lingering = lower -> { // closes a little later, as TLS does after its close_notify exchange
            socket.set(new WeakReference<>(lower));
            return new ConnectionLayer(lower) {
                @Override
                public void close() {
                    Mono.delay(Duration.ofMillis(100)).doFinally(s -> lower.close()).subscribe();
                }
            };
        };
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(lingering)
                .handler(c -> Mono.empty())
                .bind().block(Duration.ofSeconds(5));
        try (SocketChannel peer = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (peer.read(buf) >= 0) {
                buf.clear();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos(); // well within the 10 s bound
            while (socket.get().get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(50);
            }
            assertThat(socket.get().get()).as("the closed connection, still reachable").isNull();
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void aFilterThatNeverClosesIsOverruledAndDoesNotHoldShutdown() throws InterruptedException {
        Filter stubborn = lower -> new ConnectionLayer(lower) {
            @Override
            public void close() {
                // ignores the request: the runtime must still close the socket
            }
        };
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(stubborn)
                .handler(c -> Mono.empty())
                .bind().block(Duration.ofSeconds(5));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            // A connect completes in the kernel before the server accepts it, and closing the listening socket
            // resets a connection still in its backlog: shut down only once the server holds this one.
            long accepted = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (server.connections().active() == 0 && System.nanoTime() < accepted) {
                Thread.sleep(10);
            }
            assertThat(server.connections().active()).as("connections the server accepted").isEqualTo(1);
            long start = System.nanoTime();
            server.shutdown(Duration.ofMillis(200)).block(Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            c.receive().doOnNext(ByteBuf::release).then().block(Duration.ofSeconds(5));
            c.onClose().block(Duration.ofSeconds(5));
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
        }
        assertThat(server.connections().active()).isZero();
    }
}
