package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.ConnectionMetrics;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.CloseStatus;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Closing spring-chat's context (WebSocket mounted on WebFlux or on its own port) sends members 1001 and ends the chat server in time, with no buffer outstanding. */
class SpringChatShutdownTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @ParameterizedTest(name = "mounted on {0}")
    @ValueSource(strings = {"webflux", "port"})
    void closingTheContextSays1001ToMembersWithinTheShutdownTimeoutAndReleasesEveryBuffer(String mount) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringChatApplication.class)
                .run("--server.port=0", "--sluice.servers.chat.port=0",
                        "--sluice.servers.chat.websocket.mount=" + mount,
                        "--spring.lifecycle.timeout-per-shutdown-phase=4s");
        ConnectionMetrics chat;
        int port;
        if (mount.equals("webflux")) {
            chat = context.getBean(SluiceWebFluxEndpoints.class).get("chat").metrics();
            port = ((WebServerApplicationContext) context).getWebServer().getPort();
        } else {
            chat = context.getBean(SluiceServers.class).get("chat").metrics();
            port = context.getBean(SluiceServers.class).get("chat").port();
        }
        WebSocketClient client = WebSocket.client("ws://127.0.0.1:" + port + "/chat?name=carol")
                .transport(t -> t.allocator(SluiceTest.allocator())).build();
        try {
            WebSocketSession carol = client.connect().block(TIMEOUT);
            carol.receive().subscribe(WebSocketMessage::release);

            long start = System.nanoTime();
            context.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            CloseStatus status = carol.closeStatus().block(TIMEOUT);
            assertThat(status.code()).isEqualTo(1001);
            // the phase's timeout, and what WebFlux's own shutdown and the context add around it
            assertThat(took).isLessThan(Duration.ofSeconds(4 + 4));
            assertThat(chat.active()).isZero();
            assertThat(chat.outstandingBytes()).isZero();
            assertThat(chat.leaks()).isZero();
        } finally {
            if (context.isActive()) {
                context.close();
            }
            client.dispose().block(TIMEOUT);
        }
    }
}
