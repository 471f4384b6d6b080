package io.sluice.filters.shaping;

import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.api.timer.LoopScheduler;
import reactor.core.scheduler.Scheduler;

/**
 * A filter that limits how fast one connection moves bytes, each direction on its own: inbound, its socket is read
 * no faster than {@code receiveRate}, so a fast peer is slowed by TCP's own flow control rather than buffered;
 * outbound, the application's data is taken no faster than {@code sendRate}. Bytes pass unchanged and uncopied.
 *
 * <pre>{@code
 * Server.tcp().port(9000)
 *         .filter(RateLimit.builder().receiveRate(1 << 20).sendRate(4 << 20).build())  // 1 MiB/s in, 4 MiB/s out
 *         .handler(handler)
 *         .bind();
 * }</pre>
 *
 * <p>Each direction is a token bucket: up to {@code burst} bytes (default {@value #DEFAULT_BURST}) may pass at
 * once after a quiet spell; after that, one buffer is asked for only once the bytes before it are paid for at the
 * rate. A buffer's size is known only when it arrives, so the rate holds on average and a single read or send may
 * overshoot the burst by its own size: the smaller the buffers (the runtime's read size, the application's
 * writes), the smoother the pace. A direction without a rate is not touched. Placed first (nearest the socket), the
 * filter counts the bytes on the wire, TLS records and compressed data included; placed above TLS or compression,
 * it counts what the application reads and writes.
 *
 * <p>Ownership: every buffer passes through as it comes (see {@link Connection}); none is held while waiting, since
 * the next one is not asked for until it may pass. Waits are timers on the connection's event loop
 * ({@link LoopScheduler}), or on the scheduler given to {@link Builder#timers(Scheduler)}.
 */
public final class RateLimit implements Filter {

    /** Default burst: 64 KiB, a few reads or writes. */
    public static final long DEFAULT_BURST = 64 * 1024;

    private final long receiveRate;
    private final long sendRate;
    private final long burst;
    private final Scheduler timers;

    private RateLimit(Builder b) {
        if (b.receiveRate < 0 || b.sendRate < 0) {
            throw new IllegalArgumentException("rates must be >= 0 bytes per second (0: no limit), got receive "
                    + b.receiveRate + ", send " + b.sendRate);
        }
        if (b.receiveRate == 0 && b.sendRate == 0) {
            throw new IllegalArgumentException("no rate set: set receiveRate, sendRate or both");
        }
        if (b.burst <= 0) {
            throw new IllegalArgumentException("burst must be > 0 bytes, got " + b.burst);
        }
        this.receiveRate = b.receiveRate;
        this.sendRate = b.sendRate;
        this.burst = b.burst;
        this.timers = b.timers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bytes per second read from the connection below; 0 for no limit. */
    public long receiveRate() {
        return receiveRate;
    }

    /** Bytes per second written to the connection below; 0 for no limit. */
    public long sendRate() {
        return sendRate;
    }

    public long burst() {
        return burst;
    }

    @Override
    public Connection apply(Connection lower) {
        Scheduler t = timers != null ? timers : LoopScheduler.current();
        return new RateLimitedConnection(lower,
                receiveRate == 0 ? null : new TokenBucket(receiveRate, burst),
                sendRate == 0 ? null : new TokenBucket(sendRate, burst), t);
    }

    @Override
    public String toString() {
        return "RateLimit[receive " + (receiveRate == 0 ? "unlimited" : receiveRate + " B/s") + ", send "
                + (sendRate == 0 ? "unlimited" : sendRate + " B/s") + ", burst " + burst + " B]";
    }

    /** Settings of a {@link RateLimit}; checked by {@link #build()}. At least one rate must be set. */
    public static final class Builder {
        private long receiveRate;
        private long sendRate;
        private long burst = DEFAULT_BURST;
        private Scheduler timers;

        private Builder() {
        }

        /** Bytes per second the connection's inbound stream may read; 0 (the default) for no limit. */
        public Builder receiveRate(long bytesPerSecond) {
            this.receiveRate = bytesPerSecond;
            return this;
        }

        /** Bytes per second the connection's sends may write; 0 (the default) for no limit. */
        public Builder sendRate(long bytesPerSecond) {
            this.sendRate = bytesPerSecond;
            return this;
        }

        /** Bytes each direction may move at once after a quiet spell; default {@value RateLimit#DEFAULT_BURST}. */
        public Builder burst(long bytes) {
            this.burst = bytes;
            return this;
        }

        /**
         * Where the waits run, and the clock ({@link Scheduler#now}): by default the event loop of the connection
         * the filter is applied to. Tests pass a virtual-time scheduler.
         */
        public Builder timers(Scheduler timers) {
            this.timers = java.util.Objects.requireNonNull(timers, "timers");
            return this;
        }

        public RateLimit build() {
            return new RateLimit(this);
        }
    }
}
