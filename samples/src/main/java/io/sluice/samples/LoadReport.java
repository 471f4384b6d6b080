package io.sluice.samples;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a load run: throughput over the measured window (warmup excluded) and round-trip latencies.
 * MiB/s counts payload one way: what the clients sent and got back equals this twice over the wire.
 * {@code firstFailure} describes the first failure, empty when there was none.
 */
public record LoadReport(int connections, int size, int pipeline, long measuredNanos, long messages,
        long failures, String firstFailure, long leaks, Histogram latencies) {

    public double msgsPerSec() {
        return messages * 1e9 / measuredNanos;
    }

    public double mibPerSec() {
        return msgsPerSec() * size / (1024.0 * 1024.0);
    }

    /** A latency percentile in microseconds; 0 when nothing was measured. */
    public double percentileMicros(double percentile) {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMicros() {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getMaxValue() / 1000.0;
    }

    /** Human-readable, several lines. */
    public String summary() {
        return String.format(Locale.ROOT, """
                connections %d, message %d B, pipeline %d, measured %.1f s
                messages    %d (%.0f msgs/s, %.2f MiB/s each way), failures %d, leaks %d
                latency us  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%s""",
                connections, size, pipeline, measuredNanos / 1e9, messages, msgsPerSec(), mibPerSec(), failures,
                leaks, percentileMicros(50), percentileMicros(90), percentileMicros(99), percentileMicros(99.9),
                maxMicros(), firstFailure.isEmpty() ? "" : "\nfirst failure: " + firstFailure);
    }

    /** One line of key=value pairs for scripts; always starts with {@code RESULT }. */
    public String resultLine() {
        return String.format(Locale.ROOT, "RESULT connections=%d size=%d pipeline=%d messages=%d msgs_per_sec=%.1f "
                        + "mib_per_sec=%.3f p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f "
                        + "failures=%d leaks=%d",
                connections, size, pipeline, messages, msgsPerSec(), mibPerSec(), percentileMicros(50),
                percentileMicros(90), percentileMicros(99), percentileMicros(99.9), maxMicros(), failures, leaks);
    }
}
