package io.sluice.spring.boot.autoconfigure.webflux;

import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Mounts the Sluice WebSocket endpoints configured with {@code websocket.mount=webflux} on the application's WebFlux
 * server, on Reactor Netty: a {@link WebSocketUpgradeMapping} hands their upgrade requests over to them.
 */
@AutoConfiguration(after = io.sluice.spring.boot.autoconfigure.SluiceAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({org.springframework.web.reactive.HandlerMapping.class, HttpServerRequest.class})
@ConditionalOnBean(SluiceWebFluxEndpoints.class)
public class SluiceWebFluxAutoConfiguration {

    @Bean
    public WebSocketUpgradeMapping sluiceWebSocketUpgradeMapping(SluiceWebFluxEndpoints endpoints) {
        return new WebSocketUpgradeMapping(endpoints);
    }
}
