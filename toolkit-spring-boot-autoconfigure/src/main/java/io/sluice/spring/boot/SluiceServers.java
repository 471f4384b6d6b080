package io.sluice.spring.boot;

import io.sluice.reactor.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.netty.ChannelBindException;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The application's Sluice servers, run by the application context. They bind when the context starts (before it is
 * ready, in the phase of WebFlux's graceful shutdown, so after the web server), and shut down gracefully when it
 * stops or closes, alongside the web server's own graceful shutdown.
 *
 * <p>Shutdown fits in {@code spring.lifecycle.timeout-per-shutdown-phase}: handlers get that timeout less a reserve
 * (a quarter of it, at most 5 s) to finish, then what is left is closed and every buffer released within the
 * reserve. All servers shut down at once. A server that cannot bind fails the start with a
 * {@link SluiceServerBindException}, after the servers already bound are shut down.
 *
 * <p>Buffers: this class handles none; each server's connections own theirs (see {@link Server}).
 */
public final class SluiceServers implements SmartLifecycle, DisposableBean {

    /** The lifecycle phase: WebFlux's graceful-shutdown phase, {@code SmartLifecycle.DEFAULT_PHASE - 1024}. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger log = Loggers.getLogger(SluiceServers.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_RESERVE = Duration.ofSeconds(5);
    /** What {@link Server#shutdown} may take beyond its grace period in the worst case. */
    private static final Duration SHUTDOWN_OVERRUN = Duration.ofSeconds(10);

    private final Map<String, Server.Builder> builders;
    private final Duration shutdownTimeout;
    private final List<SluiceServerListener> listeners;
    private final List<AutoCloseable> resources;

    private volatile Map<String, Server> running = Map.of();
    private volatile boolean started;
    private volatile Mono<Void> lastShutdown = Mono.empty();

    /**
     * @param builders the servers by name, each ready to bind (handler set); this object owns them from now on
     * @param shutdownTimeout the time shutdown may take, normally {@code spring.lifecycle.timeout-per-shutdown-phase}
     * @param listeners told of each server's binding and shutdown
     */
    public SluiceServers(Map<String, Server.Builder> builders, Duration shutdownTimeout,
            List<SluiceServerListener> listeners) {
        this(builders, shutdownTimeout, listeners, List.of());
    }

    /**
     * As {@link #SluiceServers(Map, Duration, List)}, also owning {@code resources} that the servers' filters use
     * across restarts (TLS contexts): they are closed when this bean is destroyed, after the servers shut down.
     */
    public SluiceServers(Map<String, Server.Builder> builders, Duration shutdownTimeout,
            List<SluiceServerListener> listeners, List<? extends AutoCloseable> resources) {
        this.builders = Collections.unmodifiableMap(new LinkedHashMap<>(builders));
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative, got " + shutdownTimeout);
        }
        this.listeners = List.copyOf(listeners);
        this.resources = List.copyOf(resources);
    }

    /** The names of the configured servers, running or not, in configuration order. */
    public Set<String> names() {
        return builders.keySet();
    }

    /** The running servers by name; empty before the context starts and after it stops. */
    public Map<String, Server> running() {
        return running;
    }

    /**
     * The running server of this name, for instance to read the port it bound.
     *
     * @throws IllegalArgumentException if no server of this name is configured
     * @throws IllegalStateException if it is not running
     */
    public Server get(String name) {
        if (!builders.containsKey(name)) {
            throw new IllegalArgumentException("no Sluice server named '" + name + "'; configured: " + names());
        }
        Server server = running.get(name);
        if (server == null) {
            throw new IllegalStateException("Sluice server '" + name + "' is not running");
        }
        return server;
    }

    /** How long handlers get to finish when shutting down: the timeout less the reserve for closing the rest. */
    public Duration grace() {
        Duration reserve = shutdownTimeout.dividedBy(4);
        return shutdownTimeout.minus(reserve.compareTo(MAX_RESERVE) > 0 ? MAX_RESERVE : reserve);
    }

    @Override
    public void start() {
        if (started) {
            return;
        }
        Map<String, Server> bound = new LinkedHashMap<>();
        for (Map.Entry<String, Server.Builder> entry : builders.entrySet()) {
            String name = entry.getKey();
            Server server;
            try {
                server = entry.getValue().bind().block(BIND_TIMEOUT);
            } catch (RuntimeException failure) {
                SluiceServerBindException bindFailure = bindFailure(name, failure);
                try {
                    shutDown(bound, Duration.ZERO).block(SHUTDOWN_OVERRUN);
                } catch (RuntimeException cleanup) {
                    bindFailure.addSuppressed(cleanup);
                }
                throw bindFailure;
            }
            bound.put(name, server);
            log.info("Sluice server '{}' listening on {}", name, server.address());
            tell(listener -> listener.bound(name, server));
        }
        running = Collections.unmodifiableMap(bound);
        started = true;
    }

    @Override
    public void stop(Runnable callback) {
        if (!started) {
            callback.run();
            return;
        }
        started = false;
        Map<String, Server> stopping = running;
        running = Map.of();
        Mono<Void> shutdown = shutDown(stopping, grace()).cache();
        lastShutdown = shutdown;
        shutdown.doFinally(signal -> callback.run()).subscribe();
    }

    @Override
    public void stop() {
        stop(() -> { });
        awaitShutdown();
    }

    /** Shuts down servers still running (a context that failed to refresh) and waits for a shutdown under way. */
    @Override
    public void destroy() {
        if (started) {
            stop();
        } else {
            awaitShutdown();
        }
        closeAll(resources);
    }

    /** Closes each resource, logging (not throwing) a failure so the others still close. */
    public static void closeAll(List<? extends AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("could not close " + resource, e);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public String toString() {
        return "SluiceServers" + (started ? running.values() : names() + " (stopped)");
    }

    private void awaitShutdown() {
        Duration bound = shutdownTimeout.plus(SHUTDOWN_OVERRUN);
        try {
            lastShutdown.block(bound);
        } catch (IllegalStateException timedOut) {
            log.warn("Sluice servers still shutting down after {} ms: {}", bound.toMillis(), timedOut.getMessage());
        }
    }

    /** Completes once every server has shut down and its listeners have been told, in that order. */
    private Mono<Void> shutDown(Map<String, Server> servers, Duration grace) {
        List<Mono<Void>> shutdowns = new ArrayList<>(servers.size());
        servers.forEach((name, server) -> shutdowns.add(server.shutdown(grace)
                .onErrorResume(error -> {
                    log.error("Sluice server '" + name + "' did not shut down cleanly", error);
                    return Mono.empty();
                })
                .then(Mono.fromRunnable(() -> tell(listener -> listener.shutDown(name, server))))));
        return Mono.when(shutdowns);
    }

    /** Listeners observe: one that fails is logged, and neither stops the servers nor the other listeners. */
    private void tell(Consumer<SluiceServerListener> event) {
        for (SluiceServerListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Sluice server listener " + listener + " failed", e);
            }
        }
    }

    private static SluiceServerBindException bindFailure(String name, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ChannelBindException bind) {
                return new SluiceServerBindException(name, bind.localHost(), bind.localPort(), failure);
            }
        }
        return new SluiceServerBindException(name, null, -1, failure);
    }
}
