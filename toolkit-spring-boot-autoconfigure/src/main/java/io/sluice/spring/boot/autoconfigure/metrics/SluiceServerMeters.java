package io.sluice.spring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.reactor.Server;
import io.sluice.reactor.Takeover;
import io.sluice.reactor.metrics.SluiceMeters;
import io.sluice.spring.boot.SluiceServerListener;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Binds a server's (or mounted WebSocket endpoint's) {@link SluiceMeters} (connections, bytes, outstanding buffer bytes, leaks; tagged
 * {@code name=<server>}) when it binds, and removes them when it has shut down, so that a restarted server is
 * measured afresh. Uses the application's (primary) {@link MeterRegistry}; does nothing without one.
 */
public class SluiceServerMeters implements SluiceServerListener {

    private final ObjectProvider<MeterRegistry> registry;

    public SluiceServerMeters(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void bound(String name, Server server) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            SluiceMeters.bind(name, server.metrics(), meters);
        }
    }

    @Override
    public void mounted(String name, Takeover endpoint) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            SluiceMeters.bind(name, endpoint.metrics(), meters);
        }
    }

    @Override
    public void unmounted(String name, Takeover endpoint) {
        remove(name);
    }

    @Override
    public void shutDown(String name, Server server) {
        remove(name);
    }

    private void remove(String name) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters == null) {
            return;
        }
        List<Meter> ours = meters.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("sluice.") && name.equals(m.getId().getTag("name")))
                .toList();
        ours.forEach(meters::remove);
    }
}
