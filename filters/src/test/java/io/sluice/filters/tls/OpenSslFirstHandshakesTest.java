package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.test.SluiceTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An OpenSSL server whose first handshakes arrive together: each picks the server's key material on its own task
 * thread at the same moment. Netty's caching key-material provider (4.2.17) kept one reference too many when two
 * first lookups raced, and the native key material then leaked when the server's context was freed (seen as the
 * leak detector's "DefaultOpenSslKeyMaterial.release() was not called" at a sample's shutdown). The test kit fails
 * the test on any such report.
 */
class OpenSslFirstHandshakesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int ROUNDS = 10;
    private static final int CLIENTS = 8;

    @Test
    void keyMaterialPickedByRacingFirstHandshakesIsFreedWithTheServer() {
        OpenSslSupport.require();
        for (int round = 0; round < ROUNDS; round++) {
            try (EchoServer server = new EchoServer(TlsProvider.OPENSSL, settings -> settings)) {
                Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port())
                        .filter(Tls.client(TlsOptions.client().trust(Fixtures.CA).serverName("localhost").build()))
                        .build();
                try {
                    Flux.range(0, CLIENTS)
                            .flatMap(i -> client.connect().flatMap(c -> echoOnce(c, "hello " + i)), CLIENTS)
                            .collectList()
                            .block(TIMEOUT)
                            .forEach(echoed -> assertThat(echoed).startsWith("hello "));
                } finally {
                    client.dispose().block(TIMEOUT);
                }
                assertThat(client.metrics().leaks()).isZero();
            }
        }
    }

    private static Mono<String> echoOnce(Connection c, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        Mono<String> echoed = c.receive()
                .scan(new StringBuilder(), (all, buf) -> append(all, buf))
                .filter(all -> all.length() >= bytes.length)
                .next()
                .map(StringBuilder::toString);
        return c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeBytes(bytes)))
                .then(echoed)
                .doFinally(signal -> c.close())
                .flatMap(result -> c.onClose().thenReturn(result));
    }

    private static StringBuilder append(StringBuilder all, ByteBuf buf) {
        try {
            return all.append(buf.toString(StandardCharsets.US_ASCII));
        } finally {
            buf.release();
        }
    }
}
