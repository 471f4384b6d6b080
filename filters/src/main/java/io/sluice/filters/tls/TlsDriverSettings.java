package io.sluice.filters.tls;

import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * How the TLS driver runs an engine: time limits and where slow engine work happens. Immutable; each
 * {@code with...} returns a copy. Renegotiation is always refused and is not a setting.
 */
public final class TlsDriverSettings {

    /** Default limit on the handshake, from the filter being applied to the handshake's end: 10 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default limit on a graceful close, from {@code close()} until the lower connection is closed: 3 s. */
    public static final Duration DEFAULT_CLOSE_NOTIFY_TIMEOUT = Duration.ofSeconds(3);

    private static final TlsDriverSettings DEFAULTS =
            new TlsDriverSettings(DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_CLOSE_NOTIFY_TIMEOUT, null);

    private final Duration handshakeTimeout;
    private final Duration closeNotifyTimeout;
    private final Scheduler delegatedTasks;

    private TlsDriverSettings(Duration handshakeTimeout, Duration closeNotifyTimeout, Scheduler delegatedTasks) {
        this.handshakeTimeout = handshakeTimeout;
        this.closeNotifyTimeout = closeNotifyTimeout;
        this.delegatedTasks = delegatedTasks;
    }

    public static TlsDriverSettings defaults() {
        return DEFAULTS;
    }

    /**
     * How long the handshake may take before the connection is closed (with a WARN line naming it). Counted from
     * the filter being applied, so it also bounds a peer that never sends anything.
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long a graceful close may take: queued sends, the {@code close_notify} and its delivery to the lower
     * connection. When it runs out, the lower connection is closed anyway. Also bounds the delivery of an alert
     * after a failure.
     */
    public Duration closeNotifyTimeout() {
        return closeNotifyTimeout;
    }

    /**
     * Where the engine's delegated tasks run (certificate checks, key exchange: RSA can take milliseconds, and
     * engines may read files). Never the event loop. Default: {@link Schedulers#boundedElastic()}.
     */
    public Scheduler delegatedTaskScheduler() {
        return delegatedTasks != null ? delegatedTasks : Schedulers.boundedElastic();
    }

    public TlsDriverSettings withHandshakeTimeout(Duration timeout) {
        return new TlsDriverSettings(positive(timeout, "handshakeTimeout"), closeNotifyTimeout, delegatedTasks);
    }

    public TlsDriverSettings withCloseNotifyTimeout(Duration timeout) {
        return new TlsDriverSettings(handshakeTimeout, positive(timeout, "closeNotifyTimeout"), delegatedTasks);
    }

    public TlsDriverSettings withDelegatedTaskScheduler(Scheduler scheduler) {
        return new TlsDriverSettings(handshakeTimeout, closeNotifyTimeout,
                Objects.requireNonNull(scheduler, "scheduler"));
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "TlsDriverSettings[handshakeTimeout=" + handshakeTimeout.toMillis() + " ms, closeNotifyTimeout="
                + closeNotifyTimeout.toMillis() + " ms]";
    }
}
