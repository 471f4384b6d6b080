package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code websocket.mount=webflux} settings that cannot work fail startup naming the property; ports stay apart. */
class WebFluxMountConfigurationTest {

    private static ApplicationContextRunner mounted() {
        return WebSocketFromPropertiesTest.wsServer().withPropertyValues("sluice.servers.ws.websocket.mount=webflux");
    }

    @Test
    void aMountOutsideAReactiveWebApplicationNamesTheMount() {
        assertRefused(mounted(), "sluice.servers.ws.websocket.mount", "needs a reactive web application");
    }

    @Test
    void aMountWithoutAPathNamesTheMount() {
        assertRefused(Contexts.withStarter().withUserConfiguration(WebSocketEchoApplication.class)
                        .withPropertyValues("sluice.servers.ws.websocket.mount=webflux"),
                "sluice.servers.ws.websocket.mount", "websocket.path is not set");
    }

    @Test
    void aMountWithItsOwnTlsNamesTheTlsProperty() {
        assertRefused(mounted().withPropertyValues("sluice.servers.ws.tls.enabled=true"),
                "sluice.servers.ws.tls.enabled", "uses the WebFlux server's TLS (server.ssl.*)");
    }

    @Test
    void aMountWithStreamCompressionNamesTheCodec() {
        assertRefused(mounted().withPropertyValues("sluice.servers.ws.compression.codec=gzip"),
                "sluice.servers.ws.compression.codec", "use websocket.permessage-deflate");
    }

    @Test
    void endpointsOnTheirOwnPortsAreNotMounted() {
        WebSocketFromPropertiesTest.wsServer().run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SluiceWebFluxEndpoints.class);
            assertThat(context.getBean(SluiceServers.class).names()).containsExactly("ws");
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
