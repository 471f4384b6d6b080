package io.sluice.filters.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A TLS client connector on every provider that meets resets and TLS errors while connecting: each attempt fails
 * with a {@link TlsHandshakeException} and ends closed, and afterwards the client holds no connection and no buffer,
 * and its {@code dispose()} (and the server's {@code shutdown}) has nothing left to wait for.
 */
class ClientConnectFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Client.dispose() waits up to 5 s for connections still registered: finishing well before shows none were. */
    private static final Duration NOTHING_TO_WAIT_FOR = Duration.ofSeconds(4);
    private static final int ATTEMPTS = 3;

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aPeerThatResetsDuringTheHandshake(TlsProvider provider) throws Exception {
        try (RawTcpPeer peer = new RawTcpPeer(socket -> {
            InputStream in = socket.getInputStream();
            in.read(new byte[16]); // part of the ClientHello
            RawTcpPeer.reset(socket);
        })) {
            connectAndFail(provider, peer.port());
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aPeerThatSpeaksPlaintext(TlsProvider provider) throws Exception {
        try (RawTcpPeer peer = new RawTcpPeer(socket -> {
            socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(US_ASCII));
            socket.getOutputStream().flush();
            socket.getInputStream().readAllBytes(); // until the client goes
            socket.close();
        })) {
            connectAndFail(provider, peer.port());
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aPeerPresentingAnUntrustedCertificate(TlsProvider provider) {
        try (ProviderEngines peerEngines = new ProviderEngines(new ProviderPair(TlsProvider.JDK, TlsProvider.JDK))) {
            Server server = Server.tcp().allocator(SluiceTest.allocator())
                    .filter(Tls.over(peerEngines.server(s -> s.keyMaterial(Fixtures.pem("untrusted"))),
                            TlsDriverSettings.defaults()))
                    .handler(c -> c.send(c.receive()))
                    .bind().block(TIMEOUT);
            try {
                connectAndFail(provider, server.port());
                SocketTest.awaitNoConnections(server);
            } finally {
                long start = System.nanoTime();
                server.shutdown(Duration.ofSeconds(5)).block(TIMEOUT);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("shutdown found nothing to wait for")
                        .isLessThan(NOTHING_TO_WAIT_FOR);
            }
            assertThat(server.metrics().leaks()).isZero();
            assertThat(server.metrics().outstandingBytes()).isZero();
        }
    }

    /** A few attempts by a client on {@code provider} to 127.0.0.1:{@code port}, each failing; then the checks. */
    private static void connectAndFail(TlsProvider provider, int port) {
        try (ProviderEngines engines = new ProviderEngines(new ProviderPair(TlsProvider.JDK, provider))) {
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(port)
                    .filter(Tls.over(engines.client(c -> c), TlsDriverSettings.defaults()))
                    .build();
            boolean disposed = false;
            try {
                for (int i = 0; i < ATTEMPTS; i++) {
                    Connection c = client.connect().block(TIMEOUT);
                    Mono<Void> waitingSend = c.send(Mono.fromSupplier(() -> TlsPipe.buffer(c,
                            "hello".getBytes(US_ASCII)))).cache();
                    waitingSend.subscribe(null, e -> { });
                    StepVerifier.create(c.receive()).expectError(TlsHandshakeException.class).verify(TIMEOUT);
                    StepVerifier.create(waitingSend).expectError(TlsHandshakeException.class).verify(TIMEOUT);
                    c.onClose().block(TIMEOUT);
                }
                assertThat(client.connections().active()).isZero();
                assertThat(client.metrics().closed()).isEqualTo(client.metrics().accepted()).isEqualTo(ATTEMPTS);
                assertThat(client.metrics().leaks()).isZero();
                assertThat(client.metrics().outstandingBytes()).isZero();

                long start = System.nanoTime();
                client.dispose().block(TIMEOUT);
                disposed = true;
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("dispose found nothing to wait for")
                        .isLessThan(NOTHING_TO_WAIT_FOR);
            } finally {
                if (!disposed) {
                    client.dispose().block(TIMEOUT);
                }
            }
        }
    }
}
