package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * TLS over real sockets on 127.0.0.1, with the runtime's event loops (where BlockHound watches every call), on every
 * provider pair.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class SocketTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final Duration GRACE = Duration.ofSeconds(1);

    @AutoClose
    private final ProviderEngines engines;

    SocketTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aTlsEchoOverSockets(String protocol) {
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(Tls.over(engines.server(protocol), TlsDriverSettings.defaults()))
                .handler(c -> c.send(c.receive()))
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port())
                .filter(Tls.over(engines.client(protocol), TlsDriverSettings.defaults()))
                .build();
        try {
            Connection c = client.connect().block(TIMEOUT);
            byte[] data = TlsPipe.random(1 << 20, 42);
            Mono<byte[]> echoed = TlsPipe.gather(c.receive(), data.length).cache();
            echoed.subscribe();
            Flux<ByteBuf> pieces = Flux.range(0, 64).map(i -> TlsPipe.buffer(c,
                    Arrays.copyOfRange(data, i * 16384, (i + 1) * 16384)));
            c.send(pieces).block(TIMEOUT);
            assertThat(echoed.block(TIMEOUT)).isEqualTo(data);
            assertThat(c.info().attribute(Tls.SESSION).orElseThrow().getProtocol()).isEqualTo(protocol);
            c.close();
            c.onClose().block(TIMEOUT);
            assertThat(c.budget().outstandingBytes()).isZero();
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(GRACE).block(TIMEOUT);
        }
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().outstandingBytes()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untrusted", "expired"})
    void aClientRefusingTheServersCertificateFailsAndBothSidesLeakNothing(String certificate) {
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(Tls.over(engines.server(s -> s.keyMaterial(Fixtures.pem(certificate))),
                        TlsDriverSettings.defaults()))
                .handler(c -> c.send(c.receive()))
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port())
                .filter(Tls.over(engines.client(c -> c), TlsDriverSettings.defaults()))
                .build();
        try {
            Connection c = client.connect().block(TIMEOUT);
            StepVerifier.create(c.receive())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TlsHandshakeException.class)
                            .hasMessageStartingWith("TLS handshake failed: "))
                    .verify(TIMEOUT);
            c.onClose().block(TIMEOUT);
            assertThat(client.connections().active()).isZero();
            awaitNoConnections(server);
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(GRACE).block(TIMEOUT);
        }
        assertThat(server.metrics().closed()).isEqualTo(server.metrics().accepted());
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().outstandingBytes()).isZero();
        assertThat(client.metrics().leaks()).isZero();
    }

    /** Waits (bounded) until the server has closed every connection it accepted. */
    static void awaitNoConnections(Server server) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.connections().active() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server still has " + server.connections().active()
                        + " connection(s): " + server.metrics());
            }
            Mono.delay(Duration.ofMillis(10)).block();
        }
    }
}
