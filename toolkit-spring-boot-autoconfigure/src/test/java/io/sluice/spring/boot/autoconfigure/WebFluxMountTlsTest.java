package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.filters.tls.TrustMaterial;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A mounted endpoint on a WebFlux server with TLS ({@code server.ssl.*}): the TLS handler stays in the pipeline under
 * the taken-over connection, so the endpoint speaks wss on WebFlux's https port.
 */
@SpringBootTest(classes = WebFluxMountTest.WebApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
                "sluice.servers.ws.websocket.path=/echo",
                "sluice.servers.ws.websocket.mount=webflux",
                "server.ssl.certificate=file:${basedir}/../filters/src/test/resources/tls/server-chain.pem",
                "server.ssl.certificate-private-key=file:${basedir}/../filters/src/test/resources/tls/server-key.pem"
        })
@DirtiesContext
class WebFluxMountTlsTest {

    private static final Path CA = Path.of(System.getProperty("basedir", "."))
            .resolve("../filters/src/test/resources/tls/ca.pem").normalize();

    @LocalServerPort
    int httpsPort;

    @Test
    void aWssClientExchangesMessagesOnTheHttpsPort() {
        assertThat(WebSocketPeer.exchange("wss://localhost:" + httpsPort + "/echo",
                c -> c.tls(t -> t.trust(TrustMaterial.pem(CA))), List.of("over TLS", "twice")))
                .containsExactly("over TLS", "twice");
    }
}
