package io.sluice.samples;

import io.sluice.filters.compression.CompressionOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the load generator does: {@code connections} connections to {@code host:port}, each keeping
 * {@code pipeline} messages of {@code size} bytes in flight, for {@code warmup} (not measured) then
 * {@code duration}. {@code rate} caps the total messages per second; 0 means as fast as the echoes come back.
 * {@code compression}, when not null, stacks a {@link io.sluice.filters.compression.Compression} filter on every
 * connection, for a server that echoes a compressed stream ({@code compressed-echo}). {@code tls}, when not null,
 * puts a TLS client filter under it on every connection ({@code tls-echo}).
 */
public record LoadSettings(String host, int port, int connections, int size, Duration duration, Duration warmup,
        long rate, int pipeline, int threads, CompressionOptions compression, ClientTls tls) {

    /** The {@code --codec} value for plain, uncompressed connections. */
    static final String NO_CODEC = "none";
    /** The {@code --tls} value for plaintext connections. */
    static final String NO_TLS = "none";

    /** Plain connections, no compression, no TLS. */
    public LoadSettings(String host, int port, int connections, int size, Duration duration, Duration warmup,
            long rate, int pipeline, int threads) {
        this(host, port, connections, size, duration, warmup, rate, pipeline, threads, null, null);
    }

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

    /**
     * From the load generator's options; {@code --codec none} (the default) means no compression, {@code --tls none}
     * (the default) no TLS.
     */
    public static LoadSettings from(Options o) {
        CompressionOptions compression = o.string("codec").equalsIgnoreCase(NO_CODEC) ? null
                : CompressionFlags.read(o);
        return new LoadSettings(o.string("host"), o.integer("port"), o.integer("connections"), o.integer("size"),
                o.seconds("duration"), o.seconds("warmup"), o.longValue("rate"), o.integer("pipeline"),
                o.integer("threads"), compression, tls(o));
    }

    private static ClientTls tls(Options o) {
        boolean trustAll = o.flagSet("trust-all");
        if (o.string("tls").equalsIgnoreCase(NO_TLS)) {
            if (trustAll || o.has("ca")) {
                throw new IllegalArgumentException("--trust-all and --ca need --tls PROVIDER");
            }
            return null;
        }
        if (trustAll && o.has("ca")) {
            throw new IllegalArgumentException("--trust-all and --ca exclude each other");
        }
        var provider = TlsFlags.provider(o.string("tls"));
        if (trustAll) {
            return ClientTls.trustingAnyCertificate(provider);
        }
        return o.has("ca") ? ClientTls.trusting(provider, Path.of(o.string("ca")))
                : new ClientTls(provider, ClientTls.Trust.SYSTEM, null);
    }

    public LoadSettings withPort(int newPort) {
        return new LoadSettings(host, newPort, connections, size, duration, warmup, rate, pipeline, threads,
                compression, tls);
    }

    public LoadSettings withTls(ClientTls newTls) {
        return new LoadSettings(host, port, connections, size, duration, warmup, rate, pipeline, threads,
                compression, newTls);
    }
}
