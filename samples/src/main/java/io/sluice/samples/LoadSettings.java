package io.sluice.samples;

import java.time.Duration;

/**
 * What the load generator does: {@code connections} connections to {@code host:port}, each keeping
 * {@code pipeline} messages of {@code size} bytes in flight, for {@code warmup} (not measured) then
 * {@code duration}. {@code rate} caps the total messages per second; 0 means as fast as the echoes come back.
 */
public record LoadSettings(String host, int port, int connections, int size, Duration duration, Duration warmup,
        long rate, int pipeline, int threads) {

    public LoadSettings {
        if (connections < 1 || size < 1 || pipeline < 1 || threads < 1 || rate < 0) {
            throw new IllegalArgumentException("connections, size, pipeline and threads must be >= 1 and rate >= 0: "
                    + "connections=" + connections + " size=" + size + " pipeline=" + pipeline + " threads="
                    + threads + " rate=" + rate);
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
            throw new IllegalArgumentException("duration must be positive and warmup not negative");
        }
    }

    public static LoadSettings from(Options o) {
        return new LoadSettings(o.string("host"), o.integer("port"), o.integer("connections"), o.integer("size"),
                o.seconds("duration"), o.seconds("warmup"), o.longValue("rate"), o.integer("pipeline"),
                o.integer("threads"));
    }

    public LoadSettings withPort(int newPort) {
        return new LoadSettings(host, newPort, connections, size, duration, warmup, rate, pipeline, threads);
    }
}
