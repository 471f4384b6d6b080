package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.filters.tls.DevelopmentCertificate;
import io.sluice.filters.tls.TrustMaterial;
import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.CloseStatus;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceServerCustomizer;
import io.sluice.spring.boot.SluiceWebSocketHandler;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Sinks;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/** {@code sluice.servers.<name>.websocket.*}: a WebSocket endpoint on its own port, serving a session handler bean. */
class WebSocketFromPropertiesTest {

    static ApplicationContextRunner wsServer() {
        return Contexts.withStarter().withUserConfiguration(WebSocketEchoApplication.class)
                .withPropertyValues("sluice.servers.ws.port=0", "sluice.servers.ws.websocket.path=/echo");
    }

    @Test
    void aRealClientExchangesMessagesWithTheConfiguredEndpoint() {
        wsServer().run(context -> {
            Server server = context.getBean(SluiceServers.class).get("ws");
            assertThat(WebSocketPeer.exchange("ws://127.0.0.1:" + server.port() + "/echo", List.of("one", "two")))
                    .containsExactly("one", "two");
            assertThat(server.metrics().leaks()).isZero();
        });
    }

    @Test
    void subprotocolsAndPermessageDeflateFromPropertiesAreAgreedWithTheClient() {
        wsServer().withPropertyValues("sluice.servers.ws.websocket.subprotocols=chat.v2,chat.v1",
                "sluice.servers.ws.websocket.permessage-deflate.enabled=true",
                "sluice.servers.ws.websocket.permessage-deflate.threshold=0B").run(context -> {
                    int port = context.getBean(SluiceServers.class).get("ws").port();
                    WebSocketClient client = WebSocket.client("ws://127.0.0.1:" + port + "/echo")
                            .subprotocols("chat.v1").permessageDeflate()
                            .transport(t -> t.allocator(SluiceTest.allocator())).build();
                    try {
                        WebSocketSession session = client.connect().block(WebSocketPeer.TIMEOUT);
                        assertThat(session.subprotocol()).isEqualTo("chat.v1");
                        assertThat(session.perMessageDeflate()).isNotNull();
                        assertThat(WebSocketPeer.exchange(session, List.of("compressed " + "x".repeat(500))))
                                .containsExactly("compressed " + "x".repeat(500));
                    } finally {
                        client.dispose().block(WebSocketPeer.TIMEOUT);
                    }
                });
    }

    @Test
    void upgradesOnOtherPathsAreRefused() {
        wsServer().run(context -> {
            int port = context.getBean(SluiceServers.class).get("ws").port();
            assertThatThrownBy(() -> WebSocketPeer.exchange("ws://127.0.0.1:" + port + "/elsewhere", List.of("x")))
                    .hasMessageContaining("404");
        });
    }

    @Test
    void aMessageOverTheConfiguredLimitIsAnsweredWith1009() {
        Contexts.withStarter().withUserConfiguration(ClosingStatusRecorder.class)
                .withPropertyValues("sluice.servers.ws.port=0", "sluice.servers.ws.websocket.path=/echo",
                        "sluice.servers.ws.websocket.max-message-size=16B").run(context -> {
                    int port = context.getBean(SluiceServers.class).get("ws").port();
                    WebSocketClient client = WebSocket.client("ws://127.0.0.1:" + port + "/echo")
                            .transport(t -> t.allocator(SluiceTest.allocator())).build();
                    try {
                        WebSocketSession session = client.connect().block(WebSocketPeer.TIMEOUT);
                        session.receive().doOnNext(WebSocketMessage::release).subscribe();
                        session.send(Mono.fromSupplier(() -> WebSocketMessage.text(session.allocator(),
                                "y".repeat(17)))).subscribe(null, e -> { });
                        CloseStatus sent = context.getBean(ClosingStatusRecorder.class).sent.asMono()
                                .block(WebSocketPeer.TIMEOUT);
                        assertThat(sent.code()).isEqualTo(1009);
                        session.closeStatus().block(WebSocketPeer.TIMEOUT);
                    } finally {
                        client.dispose().block(WebSocketPeer.TIMEOUT);
                    }
                });
    }

    /** A session handler that reads until the session ends and records the close status the server sent. */
    @Configuration(proxyBeanMethods = false)
    static class ClosingStatusRecorder {

        final Sinks.One<CloseStatus> sent = Sinks.one();

        @Bean
        @SluiceHandler("ws")
        SluiceWebSocketHandler recorder() {
            return session -> session.receive().doOnNext(WebSocketMessage::release)
                    .then(session.closeStatusSent().doOnNext(sent::tryEmitValue)).then(Mono.never());
        }

        @Bean
        SluiceServerCustomizer testAllocator() {
            return (name, server) -> server.allocator(SluiceTest.allocator());
        }
    }

    @Test
    void tlsPropertiesMakeItAWssEndpoint() {
        wsServer().withPropertyValues("sluice.servers.ws.tls.enabled=true").run(context -> {
            int port = context.getBean(SluiceServers.class).get("ws").port();
            assertThat(WebSocketPeer.exchange("wss://127.0.0.1:" + port + "/echo",
                    c -> c.tls(t -> t.trust(TrustMaterial.of(DevelopmentCertificate.certificate()))),
                    List.of("secure"))).containsExactly("secure");
        });
    }
}
