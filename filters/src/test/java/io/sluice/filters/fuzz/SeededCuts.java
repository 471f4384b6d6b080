package io.sluice.filters.fuzz;

import io.sluice.api.pipe.Chunking;
import java.util.SplittableRandom;

/**
 * Random read sizes that are a fixed function of the bytes left in a write, drawn once from a seed: unlike
 * {@link io.sluice.test.RandomChunking} it holds no changing state, so one instance may split both directions of a
 * pipe, on any threads, and a run still splits every write the same way.
 */
public final class SeededCuts implements Chunking {

    private final int[] next;
    private final int maxRead;

    private SeededCuts(int[] next, int maxRead) {
        this.next = next;
        this.maxRead = maxRead;
    }

    /** Reads of 1 to {@code maxRead} bytes, drawn for writes of up to {@code span} bytes; longer ones read maxRead. */
    public static SeededCuts seeded(long seed, int maxRead, int span) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] next = new int[span + 1];
        for (int remaining = 1; remaining <= span; remaining++) {
            next[remaining] = 1 + random.nextInt(Math.min(remaining, maxRead));
        }
        return new SeededCuts(next, maxRead);
    }

    @Override
    public int next(int remaining) {
        return remaining < next.length ? next[remaining] : Math.min(remaining, maxRead);
    }
}
