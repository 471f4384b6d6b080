package io.sluice.spring.boot.autoconfigure.health;

import io.sluice.api.BudgetLeaks;
import io.sluice.reactor.ConnectionMetrics;
import io.sluice.reactor.Server;
import io.sluice.reactor.Takeover;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP while every configured Sluice server is bound (and every WebSocket endpoint mounted on WebFlux is mounted), DOWN
 * otherwise (before start, after stop, during shutdown).
 * Details: for each server whether it is bound, its address, open, accepted and refused connections, and leaks
 * (connections that closed with buffers outstanding); and {@code processLeaks}, the budget leaks of the whole
 * process. A leak is a bug to report, not unavailability: it does not change the status.
 */
public class SluiceHealthIndicator implements HealthIndicator {

    private final SluiceServers servers;
    private final SluiceWebFluxEndpoints mounted;

    public SluiceHealthIndicator(SluiceServers servers) {
        this(servers, null);
    }

    /** Also reports {@code mounted}'s endpoints (null: none), UP only while they are mounted too. */
    public SluiceHealthIndicator(SluiceServers servers, SluiceWebFluxEndpoints mounted) {
        this.servers = servers;
        this.mounted = mounted;
    }

    @Override
    public Health health() {
        Map<String, Server> running = servers.running();
        boolean allBound = servers.isRunning() && running.keySet().containsAll(servers.names())
                && (mounted == null || mounted.running().keySet().containsAll(mounted.names()));
        Health.Builder health = allBound ? Health.up() : Health.down();
        Map<String, Object> details = new LinkedHashMap<>();
        for (String name : servers.names()) {
            Server server = running.get(name);
            details.put(name, server == null ? Map.of("bound", false) : details(server));
        }
        if (mounted != null) {
            for (String name : mounted.names()) {
                Takeover endpoint = mounted.get(name);
                details.put(name, endpoint == null ? Map.of("mounted", false) : details(mounted.path(name), endpoint));
            }
        }
        return health.withDetail("servers", details).withDetail("processLeaks", BudgetLeaks.count()).build();
    }

    private static Map<String, Object> details(String path, Takeover endpoint) {
        ConnectionMetrics metrics = endpoint.metrics();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mounted", true);
        details.put("path", path);
        details.put("connections", metrics.active());
        details.put("accepted", metrics.accepted());
        details.put("refused", metrics.refused());
        details.put("leaks", metrics.leaks());
        return details;
    }

    private static Map<String, Object> details(Server server) {
        ConnectionMetrics metrics = server.metrics();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bound", true);
        details.put("address", server.host() + ":" + server.port());
        details.put("connections", metrics.active());
        details.put("accepted", metrics.accepted());
        details.put("refused", metrics.refused());
        details.put("leaks", metrics.leaks());
        return details;
    }
}
