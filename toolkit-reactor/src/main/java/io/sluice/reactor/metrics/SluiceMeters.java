package io.sluice.reactor.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.api.BudgetLeaks;
import io.sluice.reactor.ConnectionMetrics;

/**
 * Binds a server's or client's {@link ConnectionMetrics} to a Micrometer {@link MeterRegistry}. Micrometer is an
 * optional dependency: this class is only loaded when called.
 *
 * <p>Meters, each tagged {@code name=<name>}: {@code sluice.connections.accepted}, {@code .refused},
 * {@code .closed} (counters), {@code sluice.connections.active} and {@code sluice.buffers.outstanding} (gauges, the
 * latter in bytes), {@code sluice.bytes.in}, {@code sluice.bytes.out}, {@code sluice.leaks} (counters), and the
 * process-wide {@code sluice.leaks.process}.
 */
public final class SluiceMeters {

    private SluiceMeters() {
    }

    public static void bind(String name, ConnectionMetrics metrics, MeterRegistry registry) {
        Tags tags = Tags.of("name", name);
        FunctionCounter.builder("sluice.connections.accepted", metrics, ConnectionMetrics::accepted)
                .tags(tags).description("Connections accepted").register(registry);
        FunctionCounter.builder("sluice.connections.refused", metrics, ConnectionMetrics::refused)
                .tags(tags).description("Connections refused at the connection limit").register(registry);
        FunctionCounter.builder("sluice.connections.closed", metrics, ConnectionMetrics::closed)
                .tags(tags).description("Connections closed").register(registry);
        Gauge.builder("sluice.connections.active", metrics, ConnectionMetrics::active)
                .tags(tags).description("Connections open").register(registry);
        Gauge.builder("sluice.buffers.outstanding", metrics, ConnectionMetrics::outstandingBytes)
                .tags(tags).baseUnit("bytes").description("Bytes held by open connections' budgets")
                .register(registry);
        FunctionCounter.builder("sluice.bytes.in", metrics, ConnectionMetrics::bytesIn)
                .tags(tags).baseUnit("bytes").description("Bytes read").register(registry);
        FunctionCounter.builder("sluice.bytes.out", metrics, ConnectionMetrics::bytesOut)
                .tags(tags).baseUnit("bytes").description("Bytes written").register(registry);
        FunctionCounter.builder("sluice.leaks", metrics, ConnectionMetrics::leaks)
                .tags(tags).description("Connections closed with buffers outstanding").register(registry);
        if (registry.find("sluice.leaks.process").meter() == null) {
            FunctionCounter.builder("sluice.leaks.process", BudgetLeaks.class, c -> BudgetLeaks.count())
                    .description("Leaks detected by any budget in this process").register(registry);
        }
    }
}
