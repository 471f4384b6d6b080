package io.sluice.samples;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What all connections of a run have measured: completed messages, failures, and round-trip latencies. Written
 * from every event loop at once, so counters are adders and latencies go to a wait-free {@link Recorder}.
 */
final class LoadMeter {

    private final LongAdder messages = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final Recorder latencies = new Recorder(3);
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    void completed(long latencyNanos) {
        messages.increment();
        latencies.recordValue(latencyNanos);
    }

    void failed(Throwable cause) {
        failures.increment();
        firstFailure.compareAndSet(null, cause);
    }

    /** The first failure's cause, so a report can say what went wrong and not only how often. */
    Throwable firstFailure() {
        return firstFailure.get();
    }

    long messages() {
        return messages.sum();
    }

    long failures() {
        return failures.sum();
    }

    /** Latencies recorded since the previous call; the warmup's are read and dropped this way. */
    Histogram takeLatencies() {
        return latencies.getIntervalHistogram();
    }
}
