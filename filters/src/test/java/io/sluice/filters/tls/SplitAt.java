package io.sluice.filters.tls;

import io.sluice.api.pipe.Chunking;

/**
 * Splits every write in two reads at a fixed position: the first {@code at} bytes, then the rest (a write no longer
 * than {@code at} arrives whole). Each record of a TLS stream is one write, so sweeping {@code at} splits every
 * record at every position. A pipe calls its chunking from the thread delivering a write, one write at a time per
 * thread, so the position within the current write is kept per thread.
 */
final class SplitAt implements Chunking {

    private final int at;
    private final ThreadLocal<int[]> left = ThreadLocal.withInitial(() -> new int[1]);

    SplitAt(int at) {
        this.at = at;
    }

    @Override
    public int next(int remaining) {
        int[] rest = left.get();
        if (remaining != rest[0]) { // a new write
            int first = Math.min(at, remaining);
            rest[0] = remaining - first;
            return first;
        }
        rest[0] = 0;
        return remaining;
    }

    @Override
    public String toString() {
        return "split at " + at;
    }
}
