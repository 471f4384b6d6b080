package io.sluice.filters.compression;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets codec state be used by one caller at a time and freed exactly once, never while in use: a {@link #close()}
 * that arrives during a use (a cancel on another thread) is carried out when that use ends. Lock-free: one atomic
 * state. Not reentrant.
 */
final class CodecGuard {

    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int CLOSE_PENDING = 2;
    private static final int CLOSED = 3;

    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Runnable free;

    /** @param free frees the guarded state; run once, by whichever of close() or the last use ends last */
    CodecGuard(Runnable free) {
        this.free = free;
    }

    /** Starts a use; false if the state is closed (or in use, which the callers' serialization rules out). */
    boolean enter() {
        return state.compareAndSet(IDLE, BUSY);
    }

    /** Ends a use, freeing the state if a close came meanwhile. */
    void exit() {
        if (!state.compareAndSet(BUSY, IDLE)) {
            state.set(CLOSED);
            free.run();
        }
    }

    /** Frees the state now, or when the current use ends; idempotent. */
    void close() {
        for (;;) {
            int s = state.get();
            if (s == IDLE) {
                if (state.compareAndSet(IDLE, CLOSED)) {
                    free.run();
                    return;
                }
            } else if (s == BUSY) {
                if (state.compareAndSet(BUSY, CLOSE_PENDING)) {
                    return;
                }
            } else {
                return;
            }
        }
    }
}
