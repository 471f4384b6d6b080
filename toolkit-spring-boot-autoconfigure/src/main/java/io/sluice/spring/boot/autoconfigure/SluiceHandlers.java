package io.sluice.spring.boot.autoconfigure;

import io.sluice.api.Handler;
import io.sluice.spring.boot.SluiceHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;

/** Finds the {@link Handler} bean of each server: the one annotated {@link SluiceHandler @SluiceHandler(name)}. */
final class SluiceHandlers {

    private SluiceHandlers() {
    }

    /**
     * @param enabled the servers that run, each needing exactly one handler
     * @param configured every configured server, enabled or not: a handler may name a disabled one
     * @throws SluiceHandlerException if a server has no handler or several, or a handler names no configured server
     */
    static Map<String, Handler> resolve(ListableBeanFactory beans, Set<String> enabled, Set<String> configured) {
        Map<String, List<String>> byServer = new LinkedHashMap<>();
        List<String> unmarked = new ArrayList<>();
        for (String bean : beans.getBeanNamesForType(Handler.class)) {
            SluiceHandler mark = beans.findAnnotationOnBean(bean, SluiceHandler.class);
            if (mark == null) {
                unmarked.add(bean);
            } else if (!configured.contains(mark.value())) {
                throw SluiceHandlerException.unknownServer(bean, mark.value(), configured);
            } else {
                byServer.computeIfAbsent(mark.value(), server -> new ArrayList<>()).add(bean);
            }
        }
        Map<String, Handler> handlers = new LinkedHashMap<>();
        for (String server : enabled) {
            List<String> candidates = byServer.getOrDefault(server, List.of());
            if (candidates.isEmpty()) {
                throw SluiceHandlerException.missing(server, unmarked);
            }
            if (candidates.size() > 1) {
                throw SluiceHandlerException.ambiguous(server, candidates);
            }
            handlers.put(server, beans.getBean(candidates.get(0), Handler.class));
        }
        return handlers;
    }
}
