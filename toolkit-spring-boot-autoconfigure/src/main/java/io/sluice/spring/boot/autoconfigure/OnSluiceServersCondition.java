package io.sluice.spring.boot.autoconfigure;

import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when at least one enabled server is configured under {@code sluice.servers}. */
class OnSluiceServersCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Sluice servers");
        Map<String, SluiceServerProperties> servers;
        try {
            servers = Binder.get(context.getEnvironment())
                    .bind("sluice.servers", Bindable.mapOf(String.class, SluiceServerProperties.class))
                    .orElse(Map.of());
        } catch (BindException invalid) {
            // Servers are configured, wrongly: match, so that binding SluiceProperties reports the property.
            return ConditionOutcome.match(message.because("sluice.servers is set (" + invalid.getName() + ")"));
        }
        List<String> enabled = servers.entrySet().stream()
                .filter(e -> e.getValue().isEnabled())
                .map(Map.Entry::getKey)
                .toList();
        if (enabled.isEmpty()) {
            return ConditionOutcome.noMatch(message.didNotFind("enabled server under sluice.servers").atAll());
        }
        return ConditionOutcome.match(message.found("server", "servers").items(enabled));
    }
}
