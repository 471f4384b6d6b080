package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** WebSocket settings that cannot work fail startup, naming the property or the handler bean at fault. */
class WebSocketBadConfigurationTest {

    @Test
    void framingWithAWebSocketEndpointNamesTheFramingType() {
        assertRefused(WebSocketFromPropertiesTest.wsServer().withPropertyValues("sluice.servers.ws.framing.type=line"),
                "sluice.servers.ws.framing.type", "a WebSocket endpoint (websocket.path is set) does its own framing");
    }

    @Test
    void aFramingLimitWithAWebSocketEndpointNamesThatLimit() {
        assertRefused(WebSocketFromPropertiesTest.wsServer()
                        .withPropertyValues("sluice.servers.ws.framing.max-frame-length=1KB"),
                "sluice.servers.ws.framing.max-frame-length", "applies to framing.type line or length-field only");
    }

    @Test
    void aPathWithoutItsSlashNamesThePath() {
        assertRefused(WebSocketFromPropertiesTest.wsServer().withPropertyValues("sluice.servers.ws.websocket.path=echo"),
                "sluice.servers.ws.websocket.path", "must start with /");
    }

    @Test
    void aPathWithAQueryNamesThePath() {
        assertRefused(WebSocketFromPropertiesTest.wsServer()
                        .withPropertyValues("sluice.servers.ws.websocket.path=/echo?x=1"),
                "sluice.servers.ws.websocket.path", "no query");
    }

    @Test
    void aSubprotocolThatIsNotATokenNamesTheSubprotocols() {
        assertRefused(WebSocketFromPropertiesTest.wsServer()
                        .withPropertyValues("sluice.servers.ws.websocket.subprotocols=chat v1"),
                "sluice.servers.ws.websocket.subprotocols", "a subprotocol must be a token");
    }

    @Test
    void aDeflateLevelOutOfRangeNamesTheLevel() {
        assertRefused(WebSocketFromPropertiesTest.wsServer()
                        .withPropertyValues("sluice.servers.ws.websocket.permessage-deflate.level=10"),
                "sluice.servers.ws.websocket.permessage-deflate.level", "compressionLevel must be in 0..9");
    }

    @Test
    void aWindowOutOfRangeNamesTheWindow() {
        assertRefused(WebSocketFromPropertiesTest.wsServer()
                        .withPropertyValues("sluice.servers.ws.websocket.permessage-deflate.enabled=true",
                                "sluice.servers.ws.websocket.permessage-deflate.client-max-window-bits=7"),
                "sluice.servers.ws.websocket.permessage-deflate.client-max-window-bits", "7");
    }

    @Test
    void aZeroHandshakeTimeoutNamesIt() {
        assertRefused(WebSocketFromPropertiesTest.wsServer()
                        .withPropertyValues("sluice.servers.ws.websocket.handshake-timeout=0s"),
                "sluice.servers.ws.websocket.handshake-timeout", "timeout must be positive");
    }

    @Test
    void aWebSocketServerWithoutASessionHandlerSaysWhichBeanItNeeds() {
        Contexts.withStarter().withPropertyValues("sluice.servers.ws.websocket.path=/echo").run(context -> {
            assertThat(context).hasFailed();
            SluiceHandlerException failure = Failures.find(context.getStartupFailure(), SluiceHandlerException.class)
                    .orElseThrow();
            assertThat(failure.getMessage()).contains("Sluice server 'ws'").contains("has no handler");
            assertThat(failure.action()).contains("Define a SluiceWebSocketHandler bean annotated @SluiceHandler(\"ws\")");
        });
    }

    @Test
    void aTcpHandlerForAWebSocketServerIsRefusedNamingThePath() {
        Contexts.withStarter().withUserConfiguration(Handlers.Upper.class)
                .withPropertyValues("sluice.servers[Upper.Case].websocket.path=/echo").run(context -> {
                    assertThat(context).hasFailed();
                    SluiceHandlerException failure = Failures
                            .find(context.getStartupFailure(), SluiceHandlerException.class).orElseThrow();
                    assertThat(failure.getMessage()).contains("is a WebSocket endpoint")
                            .contains("sluice.servers[Upper.Case].websocket.path is set")
                            .contains("is not a SluiceWebSocketHandler");
                });
    }

    @Test
    void aSessionHandlerForATcpServerIsRefused() {
        Contexts.withStarter().withUserConfiguration(WebSocketEchoApplication.class)
                .withPropertyValues("sluice.servers.ws.port=0").run(context -> {
                    assertThat(context).hasFailed();
                    SluiceHandlerException failure = Failures
                            .find(context.getStartupFailure(), SluiceHandlerException.class).orElseThrow();
                    assertThat(failure.getMessage()).contains("is a TCP server").contains("is not a Handler");
                });
    }

    private static void assertRefused(ApplicationContextRunner runner, String property, String reason) {
        runner.run(context -> {
            assertThat(context).hasFailed();
            InvalidConfigurationPropertyValueException refused = Failures
                    .find(context.getStartupFailure(), InvalidConfigurationPropertyValueException.class)
                    .orElseThrow(() -> new AssertionError("not a property error:\n"
                            + Failures.messages(context.getStartupFailure())));
            assertThat(refused.getName()).isEqualTo(property);
            assertThat(refused.getReason()).contains(reason);
        });
    }
}
