package io.sluice.spring.boot;

import io.sluice.reactor.Server;
import io.sluice.reactor.Takeover;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The WebSocket endpoints mounted on the application's WebFlux server ({@code websocket.mount=webflux}): each takes
 * over the connections that WebFlux accepted and that asked to upgrade at its path, and serves them with its
 * {@link Takeover} (its filters, budget, limits and metrics). Run by the application context in
 * {@link SluiceServers#PHASE}, alongside WebFlux's graceful shutdown: stopping ends every session with 1001 within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, then closes what is left.
 *
 * <p>Buffers: this class handles none; each taken-over connection owns its own (see {@link Takeover}).
 */
public final class SluiceWebFluxEndpoints implements SmartLifecycle {

    private static final Logger log = Loggers.getLogger(SluiceWebFluxEndpoints.class);
    private static final Duration MAX_RESERVE = Duration.ofSeconds(5);
    /** What {@link Takeover#shutdown} may take beyond its grace period in the worst case. */
    private static final Duration SHUTDOWN_OVERRUN = Duration.ofSeconds(10);

    private final Map<String, Server.Builder> builders;
    private final Map<String, String> paths;
    private final Duration shutdownTimeout;
    private final List<SluiceServerListener> listeners;
    private volatile Map<String, Takeover> running = Map.of();
    private volatile Mono<Void> lastShutdown = Mono.empty();

    /**
     * @param builders the endpoints by name, each with its handler set; this object owns them from now on
     * @param paths    each endpoint's path, by name
     * @param shutdownTimeout the time shutdown may take, normally {@code spring.lifecycle.timeout-per-shutdown-phase}
     * @param listeners told of each endpoint's mounting and shutdown
     */
    public SluiceWebFluxEndpoints(Map<String, Server.Builder> builders, Map<String, String> paths,
            Duration shutdownTimeout, List<SluiceServerListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.builders = Collections.unmodifiableMap(new LinkedHashMap<>(builders));
        this.paths = Map.copyOf(paths);
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    /** The endpoints' names, in configuration order. */
    public Set<String> names() {
        return builders.keySet();
    }

    /** The path of endpoint {@code name}. */
    public String path(String name) {
        return paths.get(name);
    }

    /** The running endpoints by name; empty while stopped. */
    public Map<String, Takeover> running() {
        return running;
    }

    /** The running endpoint {@code name}, or null while stopped. */
    public Takeover get(String name) {
        return running.get(name);
    }

    @Override
    public void start() {
        Map<String, Takeover> started = new LinkedHashMap<>();
        builders.forEach((name, builder) -> {
            Takeover takeover = builder.takeover();
            started.put(name, takeover);
            tell(listener -> listener.mounted(name, takeover));
            log.info("Sluice WebSocket endpoint '{}' mounted on the WebFlux server at {}", name, paths.get(name));
        });
        running = Collections.unmodifiableMap(started);
    }

    /** Shuts every endpoint down at once, alongside WebFlux's graceful shutdown; {@code callback} once all are done. */
    @Override
    public void stop(Runnable callback) {
        Map<String, Takeover> stopping = running;
        running = Map.of();
        if (stopping.isEmpty()) {
            callback.run();
            return;
        }
        Duration reserve = shutdownTimeout.dividedBy(4);
        Duration grace = shutdownTimeout.minus(reserve.compareTo(MAX_RESERVE) > 0 ? MAX_RESERVE : reserve);
        List<Mono<Void>> shutdowns = stopping.entrySet().stream()
                .map(e -> e.getValue().shutdown(grace)
                        .onErrorResume(error -> {
                            log.error("Sluice WebSocket endpoint '" + e.getKey() + "' did not shut down cleanly",
                                    error);
                            return Mono.empty();
                        })
                        .then(Mono.<Void>fromRunnable(
                                () -> tell(listener -> listener.unmounted(e.getKey(), e.getValue())))))
                .toList();
        Mono<Void> shutdown = Mono.when(shutdowns).cache();
        lastShutdown = shutdown;
        shutdown.doFinally(signal -> callback.run()).subscribe();
    }

    @Override
    public void stop() {
        stop(() -> { });
        try {
            lastShutdown.block(shutdownTimeout.plus(SHUTDOWN_OVERRUN));
        } catch (IllegalStateException timedOut) {
            log.warn("Sluice WebSocket endpoints still shutting down: {}", timedOut.getMessage());
        }
    }

    /**
     * Tells every listener, each in turn; one that throws is logged and the others are still told, as
     * {@link SluiceServers} does. Let through, a listener's exception would fail the shutdown, whose subscription in
     * {@link #stop(Runnable)} has nobody to report an error to.
     */
    private void tell(Consumer<SluiceServerListener> event) {
        for (SluiceServerListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Sluice server listener " + listener + " failed", e);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return !running.isEmpty();
    }

    @Override
    public int getPhase() {
        return SluiceServers.PHASE;
    }
}
