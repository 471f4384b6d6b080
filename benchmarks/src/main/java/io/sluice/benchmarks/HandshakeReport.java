package io.sluice.benchmarks;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a {@link HandshakeLoad} run: full handshakes completed in the measured window (warmup excluded),
 * what the {@link ClientHelloProbe} saw of every connection attempted in the whole run, and the time from connecting
 * to the ping's return.
 *
 * @param negotiated protocol and cipher suite of the first session, as the client saw it
 */
public record HandshakeReport(int connectors, long measuredNanos, long handshakes, long failures,
        String firstFailure, long clientHellos, long resumptionOffers, long unreadableHellos, String negotiated,
        Histogram latencies) {

    public double perSecond() {
        return handshakes * 1e9 / measuredNanos;
    }

    /** A latency percentile in milliseconds; 0 when nothing was measured. */
    public double percentileMillis(double percentile) {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(percentile) / 1e6;
    }

    /** One line of key=value pairs for scripts; always starts with {@code RESULT }. */
    public String resultLine() {
        return String.format(Locale.ROOT, "RESULT connectors=%d handshakes=%d per_sec=%.1f p50_ms=%.2f p99_ms=%.2f "
                        + "failures=%d client_hellos=%d resumption_offers=%d unreadable_hellos=%d negotiated=%s",
                connectors, handshakes, perSecond(), percentileMillis(50), percentileMillis(99), failures,
                clientHellos, resumptionOffers, unreadableHellos, negotiated.replace(' ', '/'));
    }
}
