package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.BudgetLeaks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Shutdown completes in bounded time whatever the peers do, and leaves no buffer behind. The peers are raw sockets
 * from this JVM: silent ones, half-closed ones, ones that reset, and ones that flood the echo server while never
 * reading, so that its writes are stuck behind a full socket buffer.
 */
class ShutdownTest {

    private static final Duration GRACE = Duration.ofSeconds(1);
    /** What shutdown may take beyond the grace period: closing, cleanup, and releasing the event loops. */
    private static final Duration BOUND = Duration.ofSeconds(6);

    private final List<SocketChannel> peers = new ArrayList<>();

    @AfterEach
    void closePeers() {
        for (SocketChannel peer : peers) {
            try {
                peer.close();
            } catch (IOException ignored) {
                // already reset
            }
        }
    }

    @Test
    void shutdownWithAThousandMisbehavingConnectionsIsBoundedAndLeakFree() throws Exception {
        long leaksBefore = BudgetLeaks.count();
        Server server = Server.tcp().allocator(SluiceTest.allocator()).allocator(SluiceTest.allocator())
                .budget(32 * 1024, 64 * 1024)
                .handler(c -> c.send(c.receive()))
                .bind().block(Duration.ofSeconds(5));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < 1000; i++) {
            SocketChannel peer = SocketChannel.open(address);
            peers.add(peer);
            switch (i % 4) {
                case 0 -> { } // silent
                case 1 -> peer.shutdownOutput(); // half-closed: the server sees end of input
                case 2 -> {
                    peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    peer.setOption(StandardSocketOptions.SO_LINGER, 0); // reset on close, below
                }
                default -> {
                    // Stuck writes: flood and never read, until our own send buffer is full.
                    peer.configureBlocking(false);
                    int rounds = 0;
                    while (rounds++ < 64) {
                        chunk.clear();
                        if (peer.write(chunk) == 0) {
                            break;
                        }
                    }
                }
            }
        }
        for (int i = 2; i < 1000; i += 4) {
            peers.get(i).close(); // RST
        }
        awaitActive(server, 1000 - 250 - 250, Duration.ofSeconds(20));

        long start = System.nanoTime();
        server.shutdown(GRACE).block(GRACE.plus(BOUND).plusSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(GRACE.plus(BOUND));
        assertThat(server.connections().active()).isZero();
        assertThat(server.metrics().closed()).isEqualTo(server.metrics().accepted());
        assertThat(server.metrics().outstandingBytes()).isZero();
        assertThat(server.metrics().leaks()).isZero();
        assertThat(BudgetLeaks.count()).isEqualTo(leaksBefore);
    }

    @Test
    void shutdownClosesHandlersThatIgnoreTheEndOfInputAfterTheGracePeriod() throws Exception {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).allocator(SluiceTest.allocator())
                .handler(c -> Mono.never())
                .bind().block(Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) {
            peers.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port())));
        }
        awaitActive(server, 10, Duration.ofSeconds(10));
        long start = System.nanoTime();
        server.shutdown(Duration.ofMillis(300)).block(Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(300).plus(BOUND));
        assertThat(server.connections().active()).isZero();
    }

    @Test
    void shutdownLetsHandlersFinishWithinTheGracePeriod() throws Exception {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).allocator(SluiceTest.allocator())
                .handler(c -> c.send(c.receive()))
                .bind().block(Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) {
            peers.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port())));
        }
        awaitActive(server, 10, Duration.ofSeconds(10));
        long start = System.nanoTime();
        server.shutdown(Duration.ofSeconds(30)).block(Duration.ofSeconds(40));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // Echo handlers end as soon as their input is ended: shutdown does not wait out the grace period.
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        for (SocketChannel peer : peers) {
            assertThat(peer.read(ByteBuffer.allocate(16))).as("peer sees end of stream").isEqualTo(-1);
        }
    }

    @Test
    void shutdownIsIdempotent() {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(c -> c.send(c.receive())).bind().block(Duration.ofSeconds(5));
        Mono<Void> first = server.shutdown(GRACE);
        Mono<Void> second = server.shutdown(GRACE);
        first.block(Duration.ofSeconds(10));
        second.block(Duration.ofSeconds(10));
        server.onShutdown().block(Duration.ofSeconds(1));
    }

    static void awaitActive(Server server, int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (server.connections().active() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + expected + " active connections, have "
                        + server.connections().active() + " (" + server.metrics() + ")");
            }
            Mono.delay(Duration.ofMillis(20)).block();
        }
    }
}
