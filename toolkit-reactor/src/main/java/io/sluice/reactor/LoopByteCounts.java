package io.sluice.reactor;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The bytes read and written by the connections of one event loop. Only that loop's thread adds to them, so an
 * addition is a plain read and an ordered write rather than an atomic update (or a {@code LongAdder}'s
 * compare-and-set, which every read and write of every connection used to cost); any thread may read them.
 */
final class LoopByteCounts {

    private static final AtomicLongFieldUpdater<LoopByteCounts> IN =
            AtomicLongFieldUpdater.newUpdater(LoopByteCounts.class, "in");
    private static final AtomicLongFieldUpdater<LoopByteCounts> OUT =
            AtomicLongFieldUpdater.newUpdater(LoopByteCounts.class, "out");

    private volatile long in;
    private volatile long out;

    /** From the owning event loop only. */
    void addIn(int bytes) {
        IN.lazySet(this, in + bytes);
    }

    /** From the owning event loop only. */
    void addOut(int bytes) {
        OUT.lazySet(this, out + bytes);
    }

    long in() {
        return in;
    }

    long out() {
        return out;
    }
}
