package io.sluice.spring.boot.autoconfigure;

import io.sluice.api.Handler;
import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceWebSocketHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Finds the handler bean of each server: the one annotated {@link SluiceHandler @SluiceHandler(name)}, a
 * {@link Handler} for a TCP server, a {@link SluiceWebSocketHandler} for a WebSocket endpoint.
 */
final class SluiceHandlers {

    private SluiceHandlers() {
    }

    /**
     * @param enabled the servers that run, each needing exactly one handler
     * @param configured every configured server, enabled or not: a handler may name a disabled one
     * @param webSockets the enabled servers that are WebSocket endpoints
     * @return each enabled server's handler: a {@link Handler}, or a {@link SluiceWebSocketHandler} for those in
     *         {@code webSockets}
     * @throws SluiceHandlerException if a server has no handler, several, or one of the wrong kind, or a handler
     *         names no configured server
     */
    static Map<String, Object> resolve(ListableBeanFactory beans, Set<String> enabled, Set<String> configured,
            Set<String> webSockets) {
        Map<String, List<String>> byServer = new LinkedHashMap<>();
        List<String> unmarked = new ArrayList<>();
        List<String> all = new ArrayList<>(List.of(beans.getBeanNamesForType(Handler.class)));
        all.addAll(List.of(beans.getBeanNamesForType(SluiceWebSocketHandler.class)));
        for (String bean : all) {
            SluiceHandler mark = beans.findAnnotationOnBean(bean, SluiceHandler.class);
            if (mark == null) {
                unmarked.add(bean);
            } else if (!configured.contains(mark.value())) {
                throw SluiceHandlerException.unknownServer(bean, mark.value(), configured);
            } else {
                byServer.computeIfAbsent(mark.value(), server -> new ArrayList<>()).add(bean);
            }
        }
        Map<String, Object> handlers = new LinkedHashMap<>();
        for (String server : enabled) {
            boolean webSocket = webSockets.contains(server);
            List<String> candidates = byServer.getOrDefault(server, List.of());
            if (candidates.isEmpty()) {
                throw SluiceHandlerException.missing(server, webSocket, unmarked);
            }
            if (candidates.size() > 1) {
                throw SluiceHandlerException.ambiguous(server, candidates);
            }
            String bean = candidates.get(0);
            Class<?> kind = webSocket ? SluiceWebSocketHandler.class : Handler.class;
            if (!beans.isTypeMatch(bean, kind)) {
                throw SluiceHandlerException.wrongKind(server, bean, webSocket);
            }
            handlers.put(server, beans.getBean(bean, kind));
        }
        return handlers;
    }
}
