package io.sluice.spring.boot.autoconfigure;

import java.util.Map;
import org.springframework.util.ClassUtils;

/**
 * What a WebSocket endpoint mounted on WebFlux ({@code websocket.mount=webflux}) may be configured with: it has a
 * path; its TLS is the WebFlux server's ({@code server.ssl.*}), not its own; stream compression would sit under
 * the HTTP handshake, which arrives uncompressed; and it needs WebFlux on Reactor Netty.
 */
final class WebFluxMounts {

    private WebFluxMounts() {
    }

    static boolean isMounted(SluiceServerProperties settings) {
        return settings.getWebsocket().getMount() == WebSocketMount.WEBFLUX;
    }

    /** Refuses, naming the property, settings a mounted endpoint cannot have. */
    static void check(Map<String, SluiceServerProperties> mounted, boolean reactiveWebApplication) {
        mounted.forEach((name, settings) -> {
            PropertyCheck at = new PropertyCheck(name);
            if (!WebSocketEndpoints.configured(settings.getWebsocket())) {
                throw at.invalid("websocket.mount", "webflux", "mounts a WebSocket endpoint, but websocket.path is "
                        + "not set");
            }
            if (settings.getTls().isEnabled()) {
                throw at.invalid("tls.enabled", true, "an endpoint mounted on WebFlux (websocket.mount=webflux) "
                        + "uses the WebFlux server's TLS (server.ssl.*)");
            }
            if (settings.getCompression().getCodec() != null) {
                throw at.invalid("compression.codec", settings.getCompression().getCodec().label(),
                        "an endpoint mounted on WebFlux (websocket.mount=webflux) cannot have stream compression "
                                + "under its HTTP handshake; use websocket.permessage-deflate");
            }
            ClassLoader loader = WebFluxMounts.class.getClassLoader();
            if (!ClassUtils.isPresent("org.springframework.web.reactive.HandlerMapping", loader)
                    || !ClassUtils.isPresent("reactor.netty.http.server.HttpServerRequest", loader)) {
                throw at.invalid("websocket.mount", "webflux", "needs Spring WebFlux on Reactor Netty "
                        + "(spring-boot-starter-webflux) on the class path");
            }
            if (!reactiveWebApplication) {
                throw at.invalid("websocket.mount", "webflux", "needs a reactive web application (Spring WebFlux), "
                        + "but this application context is not one");
            }
        });
    }
}
