package io.sluice.spring.boot.autoconfigure;

import io.sluice.api.Handler;
import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceServerCustomizer;
import io.sluice.spring.boot.SluiceServerListener;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Runs the servers configured under {@code sluice.servers.<name>}, each serving the {@link Handler} bean annotated
 * {@link io.sluice.spring.boot.SluiceHandler @SluiceHandler("<name>")}, as one {@link SluiceServers} lifecycle
 * bean. Adds nothing when no server is configured, and backs off if the application defines its own
 * {@link SluiceServers}.
 */
@AutoConfiguration
@Conditional(OnSluiceServersCondition.class)
@EnableConfigurationProperties(SluiceProperties.class)
public class SluiceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public SluiceServers sluiceServers(SluiceProperties properties, ListableBeanFactory beans,
            ObjectProvider<SluiceServerCustomizer> customizers, ObjectProvider<SluiceServerListener> listeners,
            Environment environment) {
        Map<String, SluiceServerProperties> enabled = enabled(properties, false);
        List<AutoCloseable> resources = new ArrayList<>();
        Map<String, Server.Builder> builders = builders(properties, enabled, beans, customizers, resources::add);
        return new SluiceServers(builders, shutdownTimeout(environment), listeners.orderedStream().toList(),
                resources);
    }

    /**
     * The WebSocket endpoints with {@code websocket.mount=webflux}, mounted on the application's WebFlux server by
     * {@link io.sluice.spring.boot.autoconfigure.webflux.SluiceWebFluxAutoConfiguration}.
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnWebFluxMountCondition.class)
    public SluiceWebFluxEndpoints sluiceWebFluxEndpoints(SluiceProperties properties, ListableBeanFactory beans,
            ObjectProvider<SluiceServerCustomizer> customizers, ObjectProvider<SluiceServerListener> listeners,
            Environment environment, org.springframework.context.ApplicationContext context) {
        Map<String, SluiceServerProperties> mounted = enabled(properties, true);
        WebFluxMounts.check(mounted,
                context instanceof org.springframework.boot.web.context.reactive.ReactiveWebApplicationContext);
        Map<String, Server.Builder> builders = builders(properties, mounted, beans, customizers, resource -> { });
        Map<String, String> paths = new LinkedHashMap<>();
        mounted.forEach((name, settings) -> paths.put(name, settings.getWebsocket().getPath()));
        return new SluiceWebFluxEndpoints(builders, paths, shutdownTimeout(environment),
                listeners.orderedStream().toList());
    }

    /** The enabled servers, either those mounted on WebFlux or those on ports of their own. */
    private static Map<String, SluiceServerProperties> enabled(SluiceProperties properties, boolean mounted) {
        Map<String, SluiceServerProperties> enabled = new LinkedHashMap<>();
        properties.getServers().forEach((name, settings) -> {
            if (settings.isEnabled() && WebFluxMounts.isMounted(settings) == mounted) {
                enabled.put(name, settings);
            }
        });
        return enabled;
    }

    private static Map<String, Server.Builder> builders(SluiceProperties properties,
            Map<String, SluiceServerProperties> enabled, ListableBeanFactory beans,
            ObjectProvider<SluiceServerCustomizer> customizers, java.util.function.Consumer<AutoCloseable> resources) {
        Set<String> configured = properties.getServers().keySet();
        Set<String> webSockets = new LinkedHashSet<>();
        enabled.forEach((name, settings) -> {
            if (WebSocketEndpoints.configured(settings.getWebsocket())) {
                webSockets.add(name);
            }
        });
        Map<String, Object> handlers = SluiceHandlers.resolve(beans, enabled.keySet(), configured, webSockets);
        List<SluiceServerCustomizer> inOrder = customizers.orderedStream().toList();
        Map<String, Server.Builder> builders = new LinkedHashMap<>();
        List<AutoCloseable> made = new ArrayList<>();
        try {
            enabled.forEach((name, settings) -> {
                Server.Builder builder = ServerBuilders.create(name, settings, handlers.get(name), made::add);
                inOrder.forEach(customizer -> customizer.customize(name, builder));
                builders.put(name, builder);
            });
        } catch (RuntimeException failure) {
            SluiceServers.closeAll(made);
            throw failure;
        }
        made.forEach(resources);
        return builders;
    }

    /** {@code spring.lifecycle.timeout-per-shutdown-phase}, with Boot's default, read as Boot reads it. */
    static Duration shutdownTimeout(Environment environment) {
        return Binder.get(environment).bindOrCreate("spring.lifecycle", LifecycleProperties.class)
                .getTimeoutPerShutdownPhase();
    }
}
