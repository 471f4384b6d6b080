package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.BudgetLeaks;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/** {@code Server.shutdown(grace)} with 1,000 TLS connections stuck mid-handshake, on every provider. */
class StuckHandshakeShutdownTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** What shutdown may take beyond the grace period (the runtime's documented bound: closing and cleanup). */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final List<SocketChannel> peers = new ArrayList<>();

    @AfterEach
    void closePeers() {
        for (SocketChannel peer : peers) {
            try {
                peer.close();
            } catch (IOException ignored) {
                // already closed by the server
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void shutdownWithAThousandConnectionsStuckMidHandshakeIsBoundedAndLeakFree(TlsProvider provider)
            throws Exception {
        long leaksBefore = BudgetLeaks.count();
        try (ProviderEngines engines = new ProviderEngines(new ProviderPair(provider, TlsProvider.JDK))) {
            Server server = Server.tcp().allocator(SluiceTest.allocator())
                    .filter(Tls.over(engines.server(s -> s), TlsDriverSettings.defaults()))
                    .handler(c -> c.send(c.receive()).onErrorResume(e -> Mono.empty()))
                    .bind().block(TIMEOUT);
            byte[] partialHello = Arrays.copyOf(clientHello(), 100);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            for (int i = 0; i < 1000; i++) {
                SocketChannel peer = SocketChannel.open(address);
                peers.add(peer);
                if (i % 2 == 0) {
                    peer.write(ByteBuffer.wrap(partialHello)); // half a ClientHello, then nothing
                } // else silent from the start
            }
            awaitActive(server, 1000);

            long start = System.nanoTime();
            server.shutdown(GRACE).block(GRACE.plus(BOUND).plusSeconds(5));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(GRACE.plus(BOUND));
            assertThat(server.connections().active()).isZero();
            assertThat(server.metrics().closed()).isEqualTo(server.metrics().accepted());
            assertThat(server.metrics().outstandingBytes()).isZero();
            assertThat(server.metrics().leaks()).isZero();
        }
        assertThat(BudgetLeaks.count()).isEqualTo(leaksBefore);
    }

    /** The first flight of a JDK client: a whole ClientHello record. */
    private static byte[] clientHello() throws IOException {
        SSLEngine engine = TestEngines.client().engine(TestEngines.client().context());
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static void awaitActive(Server server, int expected) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.connections().active() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + expected + " active connections, have "
                        + server.connections().active() + " (" + server.metrics() + ")");
            }
            Mono.delay(Duration.ofMillis(20)).block();
        }
    }
}
