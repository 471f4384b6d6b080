package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Takeover;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.CloseStatus;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the context of a WebFlux application with a mounted endpoint closes open sessions with 1001, alongside
 * WebFlux's own graceful shutdown, within the phase's timeout, with no buffer outstanding.
 */
class WebFluxMountShutdownTest {

    @Test
    void closingTheContextSays1001ToOpenSessionsWithinTheTimeoutAndReleasesEveryBuffer() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WebFluxMountTest.WebApplication.class)
                .run("--server.port=0", "--sluice.servers.ws.websocket.path=/echo",
                        "--sluice.servers.ws.websocket.mount=webflux",
                        "--spring.lifecycle.timeout-per-shutdown-phase=4s");
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Takeover endpoint = context.getBean(SluiceWebFluxEndpoints.class).get("ws");
        WebSocketClient client = WebSocket.client("ws://127.0.0.1:" + port + "/echo")
                .transport(t -> t.allocator(SluiceTest.allocator())).build();
        try {
            WebSocketSession session = client.connect().block(WebSocketPeer.TIMEOUT);
            session.receive().subscribe(WebSocketMessage::release);

            long start = System.nanoTime();
            context.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            CloseStatus status = session.closeStatus().block(WebSocketPeer.TIMEOUT);
            assertThat(status.code()).isEqualTo(1001);
            assertThat(took).isLessThan(Duration.ofSeconds(4 + 4));
            assertThat(endpoint.metrics().active()).isZero();
            assertThat(endpoint.metrics().outstandingBytes()).isZero();
            assertThat(endpoint.metrics().leaks()).isZero();
        } finally {
            if (context.isActive()) {
                context.close();
            }
            client.dispose().block(WebSocketPeer.TIMEOUT);
        }
    }
}
