package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.CloseStatus;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Closing spring-chat's context sends members 1001 and ends the chat server in time, with no buffer outstanding. */
class SpringChatShutdownTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void closingTheContextSays1001ToMembersWithinTheShutdownTimeoutAndReleasesEveryBuffer() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringChatApplication.class)
                .run("--server.port=0", "--sluice.servers.chat.port=0",
                        "--spring.lifecycle.timeout-per-shutdown-phase=4s");
        Server chat = context.getBean(SluiceServers.class).get("chat");
        WebSocketClient client = WebSocket.client("ws://127.0.0.1:" + chat.port() + "/chat?name=carol")
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
            assertThat(chat.metrics().active()).isZero();
            assertThat(chat.metrics().outstandingBytes()).isZero();
            assertThat(chat.metrics().leaks()).isZero();
        } finally {
            if (context.isActive()) {
                context.close();
            }
            client.dispose().block(TIMEOUT);
        }
    }
}
