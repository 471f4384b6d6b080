package io.sluice.samples;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Send times of the messages in flight on one connection, oldest first. One thread adds (the sender), one takes
 * (the receiver), which may be different threads when sends are paced; the two indices make that safe without a
 * lock. Echoes come back in order, so the oldest send time belongs to the next message to complete.
 */
final class TimestampRing {

    private final long[] times;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    TimestampRing(int capacity) {
        times = new long[capacity];
    }

    /** Producer side; never called with the ring full, because the pipeline depth bounds what is in flight. */
    void add(long nanos) {
        long t = tail.get();
        times[(int) (t % times.length)] = nanos;
        tail.lazySet(t + 1);
    }

    /** Consumer side; the oldest send time. The caller knows a message is in flight. */
    long take() {
        long h = head.get();
        long nanos = times[(int) (h % times.length)];
        head.lazySet(h + 1);
        return nanos;
    }

    int size() {
        return (int) (tail.get() - head.get());
    }
}
