package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.reactor.Takeover;
import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import io.sluice.spring.boot.SluiceWebSocketHandler;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A Sluice WebSocket endpoint mounted on the application's WebFlux server: upgrades at its path on WebFlux's port
 * run Sluice's handshake, framing and permessage-deflate, while the application's HTTP API goes on beside it.
 */
@SpringBootTest(classes = WebFluxMountTest.WebApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
                "sluice.servers.ws.websocket.path=/echo",
                "sluice.servers.ws.websocket.mount=webflux",
                "sluice.servers.ws.websocket.subprotocols=echo.v1",
                "sluice.servers.ws.websocket.allowed-origins=http://good.example",
                "sluice.servers.ws.websocket.permessage-deflate.enabled=true",
                "sluice.servers.ws.websocket.permessage-deflate.threshold=0B",
                "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always"
        })
@DirtiesContext
class WebFluxMountTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int httpPort;

    @Autowired
    SluiceWebFluxEndpoints endpoints;

    @Test
    void aRealClientExchangesMessagesOnTheWebFluxPortWithSluicesFramingAndDeflate() throws Exception {
        assertThat(get("/api/hello").body()).isEqualTo("hello from WebFlux");
        WebSocketClient client = WebSocket.client("ws://127.0.0.1:" + httpPort + "/echo")
                .origin("http://good.example").subprotocols("echo.v1").permessageDeflate()
                .transport(t -> t.allocator(SluiceTest.allocator())).build();
        try {
            WebSocketSession session = client.connect().block(WebSocketPeer.TIMEOUT);
            assertThat(session.subprotocol()).isEqualTo("echo.v1");
            assertThat(session.perMessageDeflate()).isNotNull();
            String big = "deflated ".repeat(2000);
            assertThat(WebSocketPeer.exchange(session, List.of("one", big, "three")))
                    .containsExactly("one", big, "three");
        } finally {
            client.dispose().block(WebSocketPeer.TIMEOUT);
        }
        Takeover takeover = endpoints.get("ws");
        awaitNoConnection(takeover);
        assertThat(takeover.metrics().accepted()).isPositive();
        assertThat(takeover.metrics().leaks()).isZero();
        assertThat(takeover.metrics().outstandingBytes()).isZero();
        // the HTTP API still answers on the same port, on a new connection
        assertThat(get("/api/hello").body()).isEqualTo("hello from WebFlux");
    }

    @Test
    void sluicesHandshakeRefusesAnOriginThatIsNotAllowed() {
        assertThatThrownBy(() -> WebSocketPeer.exchange("ws://127.0.0.1:" + httpPort + "/echo",
                c -> c.origin("http://evil.example"), List.of("x"))).hasMessageContaining("403");
    }

    @Test
    void requestsThatAreNotUpgradesGoToTheApplication() throws Exception {
        assertThat(get("/echo").statusCode()).isEqualTo(404);
    }

    @Test
    void upgradesElsewhereAreTheApplicationsToAnswer() {
        assertThatThrownBy(() -> WebSocketPeer.exchange("ws://127.0.0.1:" + httpPort + "/api/hello",
                c -> c.origin("http://good.example"), List.of("x"))).hasMessageContaining("answered 200");
    }

    @Test
    void healthAndMetricsReportTheMountedEndpoint() throws Exception {
        assertThat(WebSocketPeer.exchange("ws://127.0.0.1:" + httpPort + "/echo", c -> c.origin("http://good.example"),
                List.of("measured"))).containsExactly("measured");
        awaitNoConnection(endpoints.get("ws"));
        String health = get("/actuator/health").body();
        assertThat(health).contains("\"sluice\":{\"details\":{\"servers\":{\"ws\":{\"mounted\":true,"
                + "\"path\":\"/echo\",\"connections\":0,\"accepted\":").contains("\"leaks\":0");
        assertThat(health).startsWith("{\"components\"").endsWith("\"status\":\"UP\"}");
        String accepted = get("/actuator/metrics/sluice.connections.accepted?tag=name:ws").body();
        assertThat(accepted).contains("\"statistic\":\"COUNT\",\"value\":" + endpoints.get("ws").metrics().accepted()
                + ".0");
    }

    private static void awaitNoConnection(Takeover takeover) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (takeover.metrics().active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(takeover.metrics().active()).isZero();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebApplication {

        @Bean
        RouterFunction<ServerResponse> hello() {
            return RouterFunctions.route().GET("/api/hello", r -> ServerResponse.ok().bodyValue("hello from WebFlux"))
                    .build();
        }

        @Bean
        @SluiceHandler("ws")
        SluiceWebSocketHandler echo() {
            return session -> session.send(session.receive());
        }
    }
}
