package io.sluice.websocket;

import io.sluice.api.timer.LoopScheduler;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Limits and timers of a {@link WebSocketSession}, with safe defaults; every value is checked by
 * {@link Builder#build()}.
 *
 * <ul>
 *   <li>{@code maxFrameSize} (default 1 MiB): the largest data frame payload accepted, as sent (compressed); a
 *       larger frame fails the session with 1009 as soon as its header is read.</li>
 *   <li>{@code maxMessageSize} (default 1 MiB): the largest message accepted, counted on decompressed bytes as
 *       they are produced, whether whole or as fragments; a larger one fails the session with 1009. It also bounds
 *       Hixie-76 frames. A whole message is held in the connection's buffer budget until it is complete: one that
 *       cannot fit there (see {@link WebSocketSession#receive()}) fails with 1009 as well; consume large messages
 *       with {@link WebSocketSession#receiveFragments()}.</li>
 *   <li>{@code pingInterval} (default off): when set, a ping goes out at this interval, and a ping unanswered for
 *       {@code pongTimeout} (default 10 s) ends the session: a close frame 1001 "pong timeout" is sent and, once
 *       written (or after the close timeout), the connection is dropped without waiting for an answer, so
 *       {@link WebSocketSession#closeStatus()} reports 1006.
 *       Pongs are read like everything else, only while the application reads: a reader stalled longer than the
 *       timeout is taken for a dead peer. Hixie-76 has no ping: the setting is ignored there.</li>
 *   <li>{@code closeTimeout} (default 5 s): how long after sending a close frame the session waits for the peer's
 *       (and, on a client, for the server to close the connection) before dropping the connection.</li>
 *   <li>{@code compressionThreshold} (default 256 B): under permessage-deflate, whole messages shorter than this
 *       go uncompressed (compressing them costs more than it saves); fragmented messages are always compressed.</li>
 *   <li>{@code compressionLevel} (default 6): the deflate level, 0-9.</li>
 *   <li>{@code scheduler}: where the timers run (keep-alive pings, pong and close timeouts). By default, the event loop
 *       of the connection the session was made on, as Netty's own handlers schedule theirs, so that arming and
 *       cancelling one costs no lock; {@link Schedulers#parallel()} for a session made off any event loop (see
 *       {@link LoopScheduler}).</li>
 * </ul>
 */
public final class WebSocketSettings {

    private static final WebSocketSettings DEFAULTS = builder().build();

    private final int maxFrameSize;
    private final long maxMessageSize;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final Duration closeTimeout;
    private final int compressionThreshold;
    private final int compressionLevel;
    private final Scheduler scheduler;

    private WebSocketSettings(Builder b) {
        this.maxFrameSize = b.maxFrameSize;
        this.maxMessageSize = b.maxMessageSize;
        this.pingInterval = b.pingInterval;
        this.pongTimeout = b.pongTimeout;
        this.closeTimeout = b.closeTimeout;
        this.compressionThreshold = b.compressionThreshold;
        this.compressionLevel = b.compressionLevel;
        this.scheduler = b.scheduler;
    }

    public static WebSocketSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these settings. */
    public Builder toBuilder() {
        return new Builder().maxFrameSize(maxFrameSize).maxMessageSize(maxMessageSize).pingInterval(pingInterval)
                .pongTimeout(pongTimeout).closeTimeout(closeTimeout).compressionThreshold(compressionThreshold)
                .compressionLevel(compressionLevel).schedulerOrDefault(scheduler);
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** {@link Duration#ZERO} when keep-alive pings are off. */
    public Duration pingInterval() {
        return pingInterval;
    }

    public Duration pongTimeout() {
        return pongTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public int compressionThreshold() {
        return compressionThreshold;
    }

    public int compressionLevel() {
        return compressionLevel;
    }

    /** The scheduler set with {@link Builder#scheduler}, or {@link Schedulers#parallel()} when none was. */
    public Scheduler scheduler() {
        return scheduler != null ? scheduler : Schedulers.parallel();
    }

    /**
     * Where a session made on the current thread runs its timers: the scheduler set, or else the current thread's
     * event loop, or else {@link Schedulers#parallel()} (see {@link LoopScheduler#current()}).
     */
    Scheduler timerScheduler() {
        return scheduler != null ? scheduler : LoopScheduler.current();
    }

    @Override
    public String toString() {
        return "WebSocketSettings[maxFrameSize " + maxFrameSize + " B, maxMessageSize " + maxMessageSize
                + " B, ping " + (pingInterval.isZero() ? "off" : pingInterval + "/" + pongTimeout) + ", close timeout "
                + closeTimeout + ", compression threshold " + compressionThreshold + " B, level "
                + compressionLevel + "]";
    }

    /** Builds {@link WebSocketSettings}. */
    public static final class Builder {
        private int maxFrameSize = 1024 * 1024;
        private long maxMessageSize = 1024 * 1024;
        private Duration pingInterval = Duration.ZERO;
        private Duration pongTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int compressionThreshold = 256;
        private int compressionLevel = 6;
        /** Null: the session's event loop (see {@link WebSocketSettings}). */
        private Scheduler scheduler;

        private Builder() {
        }

        private Builder schedulerOrDefault(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = bytes;
            return this;
        }

        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** {@link Duration#ZERO} turns keep-alive pings off. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        public Builder pongTimeout(Duration timeout) {
            this.pongTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder compressionThreshold(int bytes) {
            this.compressionThreshold = bytes;
            return this;
        }

        public Builder compressionLevel(int level) {
            this.compressionLevel = level;
            return this;
        }

        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        public WebSocketSettings build() {
            if (maxFrameSize < 1) {
                throw new IllegalArgumentException("maxFrameSize must be >= 1, got " + maxFrameSize);
            }
            if (maxMessageSize < 1) {
                throw new IllegalArgumentException("maxMessageSize must be >= 1, got " + maxMessageSize);
            }
            if (pingInterval.isNegative() || pongTimeout.isNegative() || pongTimeout.isZero()) {
                throw new IllegalArgumentException("pingInterval must be >= 0 and pongTimeout > 0, got "
                        + pingInterval + " and " + pongTimeout);
            }
            if (closeTimeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, got " + closeTimeout);
            }
            if (compressionThreshold < 0) {
                throw new IllegalArgumentException("compressionThreshold must be >= 0, got " + compressionThreshold);
            }
            if (compressionLevel < 0 || compressionLevel > 9) {
                throw new IllegalArgumentException("compressionLevel must be in 0..9, got " + compressionLevel);
            }
            return new WebSocketSettings(this);
        }
    }
}
