package io.sluice.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bytes read and written by the connections of one event loop. Only that loop's thread adds to them, so an
 * addition is a plain read and a release store rather than an atomic update (or a {@code LongAdder}'s
 * compare-and-set, which every read and write of every connection used to cost); any thread may read them.
 */
final class LoopByteCounts {

    private static final VarHandle IN;
    private static final VarHandle OUT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            IN = lookup.findVarHandle(LoopByteCounts.class, "in", long.class);
            OUT = lookup.findVarHandle(LoopByteCounts.class, "out", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long in;
    private volatile long out;

    /** From the owning event loop only. */
    void addIn(int bytes) {
        IN.setRelease(this, in + bytes);
    }

    /** From the owning event loop only. */
    void addOut(int bytes) {
        OUT.setRelease(this, out + bytes);
    }

    long in() {
        return in;
    }

    long out() {
        return out;
    }
}
