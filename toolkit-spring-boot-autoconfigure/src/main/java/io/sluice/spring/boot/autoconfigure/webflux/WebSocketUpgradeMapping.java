package io.sluice.spring.boot.autoconfigure.webflux;

import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Routes WebFlux requests that ask to upgrade to WebSocket ({@code GET} with {@code Upgrade: websocket}) at a
 * mounted endpoint's path to that endpoint's {@link UpgradeTakeover}; every other request goes on to the
 * application's own mappings. Ordered before them (router functions are at -1, annotated controllers at 0).
 */
public final class WebSocketUpgradeMapping extends AbstractHandlerMapping {

    /** Before WebFlux's router-function and request mappings. */
    public static final int ORDER = -2;

    private final Map<String, UpgradeTakeover> byPath = new LinkedHashMap<>();

    public WebSocketUpgradeMapping(SluiceWebFluxEndpoints endpoints) {
        for (String name : endpoints.names()) {
            byPath.put(endpoints.path(name), new UpgradeTakeover(name, endpoints));
        }
        setOrder(ORDER);
    }

    @Override
    protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
        UpgradeTakeover endpoint = byPath.get(exchange.getRequest().getPath().value());
        if (endpoint == null || exchange.getRequest().getMethod() != HttpMethod.GET || !asksForWebSocket(exchange)) {
            return Mono.empty();
        }
        return Mono.just(endpoint);
    }

    private static boolean asksForWebSocket(ServerWebExchange exchange) {
        String upgrade = exchange.getRequest().getHeaders().getFirst("Upgrade");
        return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
    }
}
