package io.sluice.spring.boot.autoconfigure;

import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when an enabled server is a WebSocket endpoint with {@code websocket.mount=webflux}. */
class OnWebFluxMountCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Sluice WebSocket endpoints on WebFlux");
        Map<String, SluiceServerProperties> servers;
        try {
            servers = Binder.get(context.getEnvironment())
                    .bind("sluice.servers", Bindable.mapOf(String.class, SluiceServerProperties.class))
                    .orElse(Map.of());
        } catch (BindException invalid) {
            return ConditionOutcome.noMatch(message.because("sluice.servers does not bind"));
        }
        List<String> mounted = servers.entrySet().stream()
                .filter(e -> e.getValue().isEnabled() && WebFluxMounts.isMounted(e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        if (mounted.isEmpty()) {
            return ConditionOutcome.noMatch(message.didNotFind("server with websocket.mount=webflux").atAll());
        }
        return ConditionOutcome.match(message.found("endpoint", "endpoints").items(mounted));
    }
}
