package io.sluice.spring.boot.autoconfigure.health;

import io.sluice.api.BudgetLeaks;
import io.sluice.reactor.ConnectionMetrics;
import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceServers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP while every configured Sluice server is bound, DOWN otherwise (before start, after stop, during shutdown).
 * Details: for each server whether it is bound, its address, open, accepted and refused connections, and leaks
 * (connections that closed with buffers outstanding); and {@code processLeaks}, the budget leaks of the whole
 * process. A leak is a bug to report, not unavailability: it does not change the status.
 */
public class SluiceHealthIndicator implements HealthIndicator {

    private final SluiceServers servers;

    public SluiceHealthIndicator(SluiceServers servers) {
        this.servers = servers;
    }

    @Override
    public Health health() {
        Map<String, Server> running = servers.running();
        boolean allBound = servers.isRunning() && running.keySet().containsAll(servers.names());
        Health.Builder health = allBound ? Health.up() : Health.down();
        Map<String, Object> details = new LinkedHashMap<>();
        for (String name : servers.names()) {
            Server server = running.get(name);
            details.put(name, server == null ? Map.of("bound", false) : details(server));
        }
        return health.withDetail("servers", details).withDetail("processLeaks", BudgetLeaks.count()).build();
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
