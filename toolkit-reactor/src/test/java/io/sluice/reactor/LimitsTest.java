package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.Test;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

class LimitsTest {

    @Test
    void theRefusalIsLoggedWithThePeersAddress() throws IOException {
        TestLogger log = new TestLogger(false);
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(log);
        Server server = Server.tcp().allocator(SluiceTest.allocator()).maxConnections(1).handler(c -> c.send(c.receive()))
                .bind().block(Duration.ofSeconds(5));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        try (SocketChannel first = SocketChannel.open(address)) {
            ShutdownTest.awaitActive(server, 1, Duration.ofSeconds(5));
            try (SocketChannel second = SocketChannel.open(address)) {
                assertThat(second.read(ByteBuffer.allocate(8))).isEqualTo(-1);
                int peerPort = ((InetSocketAddress) second.getLocalAddress()).getPort();
                assertThat(log.getErrContent())
                        .contains("connection limit of 1 reached, refusing /127.0.0.1:" + peerPort);
            }
        } finally {
            LoggerUtils.disableCapture();
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndCountedAsRefused() throws IOException {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).maxConnections(2).handler(c -> c.send(c.receive()))
                .bind().block(Duration.ofSeconds(5));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        try (SocketChannel first = SocketChannel.open(address);
                SocketChannel second = SocketChannel.open(address)) {
            ShutdownTest.awaitActive(server, 2, Duration.ofSeconds(5));
            try (SocketChannel third = SocketChannel.open(address)) {
                assertThat(third.read(ByteBuffer.allocate(8))).as("refused connection is closed").isEqualTo(-1);
            }
            assertThat(server.metrics().refused()).isEqualTo(1);
            assertThat(server.connections().active()).isEqualTo(2);

            first.close();
            ShutdownTest.awaitActive(server, 1, Duration.ofSeconds(5));
            try (SocketChannel fourth = SocketChannel.open(address)) {
                fourth.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer echo = ByteBuffer.allocate(1);
                assertThat(fourth.read(echo)).as("a freed place admits a new connection").isEqualTo(1);
                assertThat(echo.get(0)).isEqualTo((byte) 42);
            }
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
        assertThat(server.metrics().refused()).isEqualTo(1);
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws IOException {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).idleTimeout(Duration.ofMillis(300)).handler(c -> c.send(c.receive()))
                .bind().block(Duration.ofSeconds(5));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        // Timed from before the connect: the server may accept and arm its timer before open() returns here.
        long start = System.nanoTime();
        try (SocketChannel idle = SocketChannel.open(address)) {
            assertThat(idle.read(ByteBuffer.allocate(8))).as("closed by the server").isEqualTo(-1);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // Not before the timeout; the upper bound only tells the idle timer from other closes (generous: a
            // loaded machine may run the timer late).
            assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
        assertThat(server.metrics().closed()).isEqualTo(1);
    }

    @Test
    void trafficKeepsAConnectionAlivePastTheIdleTimeout() throws IOException {
        // Traffic every 100 ms against a timeout of 1 s: a loaded machine may stretch a gap by most of a second
        // before the server would rightly call the connection idle.
        Server server = Server.tcp().allocator(SluiceTest.allocator()).idleTimeout(Duration.ofSeconds(1)).handler(c -> c.send(c.receive()))
                .bind().block(Duration.ofSeconds(5));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        try (SocketChannel busy = SocketChannel.open(address)) {
            ByteBuffer echo = ByteBuffer.allocate(1);
            for (int i = 0; i < 20; i++) { // 20 x 100 ms = 2 s, two idle timeouts
                reactor.core.publisher.Mono.delay(Duration.ofMillis(100)).block();
                busy.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                echo.clear();
                assertThat(busy.read(echo)).isEqualTo(1);
            }
            assertThat(server.connections().active()).isEqualTo(1);
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
    }

    @Test
    void clientConnectToAClosedPortFailsWithoutLeavingAConnection() {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(c -> c.send(c.receive())).bind().block(Duration.ofSeconds(5));
        int port = server.port();
        server.shutdown(Duration.ZERO).block(Duration.ofSeconds(10));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(port).connectTimeout(Duration.ofSeconds(2)).build();
        try {
            Throwable error = null;
            try {
                Connection c = client.connect().block(Duration.ofSeconds(5));
                c.close();
            } catch (RuntimeException e) {
                error = e;
            }
            assertThat(error).isNotNull();
            assertThat(client.connections().active()).isZero();
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
        }
        assertThat(client.metrics().leaks()).isZero();
    }
}
