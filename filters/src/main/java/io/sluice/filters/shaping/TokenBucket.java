package io.sluice.filters.shaping;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte rate with a burst allowance, as one timestamp (the generic cell rate algorithm): the time at which
 * everything charged so far will have been paid for at {@code rate}. A transfer may start when that time is at
 * most {@code burst} bytes' worth ahead of now, and is charged once its size is known. Charging after the fact lets
 * a reader ask for one buffer without knowing how big it will be; the rate holds on average, and no moment sees
 * more than the burst plus one buffer.
 *
 * <p>Thread-safe without locks (one compare-and-set per charge), so one bucket may pace several streams. Times are
 * in nanoseconds of any one clock.
 */
final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final long burstBytes;
    /** How far ahead of now the paid-for time may run: the burst, in nanoseconds at the rate. */
    private final long tolerance;
    /** When everything charged so far is paid for; {@link Long#MIN_VALUE} before the first charge. */
    private final AtomicLong paidUntil = new AtomicLong(Long.MIN_VALUE);

    TokenBucket(long bytesPerSecond, long burstBytes) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be > 0 bytes per second, got " + bytesPerSecond);
        }
        if (burstBytes <= 0) {
            throw new IllegalArgumentException("burst must be > 0 bytes, got " + burstBytes);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = burstBytes;
        this.tolerance = nanosFor(burstBytes);
    }

    /** How long to wait, from {@code now}, before the next transfer may start; 0 when it may start now. */
    long delay(long now) {
        long paid = paidUntil.get();
        if (paid == Long.MIN_VALUE) {
            return 0;
        }
        return Math.max(0, paid - tolerance - now);
    }

    /** Charges {@code bytes} transferred at {@code now}. */
    void charge(long bytes, long now) {
        long cost = nanosFor(bytes);
        for (;;) {
            long paid = paidUntil.get();
            long from = paid == Long.MIN_VALUE ? now : Math.max(paid, now); // an idle bucket does not bank time
            if (paidUntil.compareAndSet(paid, saturatedAdd(from, cost))) {
                return;
            }
        }
    }

    private long nanosFor(long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        // bytes * 1e9 / rate, without overflow for any int-sized buffer and any rate, rounded up.
        long whole = bytes / bytesPerSecond;
        long rest = bytes % bytesPerSecond;
        long restNanos;
        if (rest <= Long.MAX_VALUE / NANOS_PER_SECOND) {
            long scaled = rest * NANOS_PER_SECOND;
            restNanos = scaled / bytesPerSecond + (scaled % bytesPerSecond == 0 ? 0 : 1);
        } else { // rates over 9 GB/s
            restNanos = (long) Math.ceil((double) rest * NANOS_PER_SECOND / bytesPerSecond);
        }
        return saturatedAdd(saturatedMultiply(whole, NANOS_PER_SECOND), restNanos);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return bytesPerSecond + " B/s, burst " + burstBytes + " B";
    }
}
