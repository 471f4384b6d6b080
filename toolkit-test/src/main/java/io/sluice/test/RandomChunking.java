package io.sluice.test;

import io.sluice.api.pipe.Chunking;
import java.util.SplittableRandom;

/**
 * Splits writes at random points, reproducibly: the same seed gives the same reads. Use one instance per pipe
 * direction and per run; it is not thread-safe, and a pipe lane calls it from its drain loop only.
 */
public final class RandomChunking implements Chunking {

    private final SplittableRandom random;
    private final int maxRead;

    private RandomChunking(long seed, int maxRead) {
        if (maxRead < 1) {
            throw new IllegalArgumentException("maxRead must be >= 1, got " + maxRead);
        }
        this.random = new SplittableRandom(seed);
        this.maxRead = maxRead;
    }

    /** Reads of 1 to {@code maxRead} bytes, chosen by a generator seeded with {@code seed}. */
    public static RandomChunking seeded(long seed, int maxRead) {
        return new RandomChunking(seed, maxRead);
    }

    @Override
    public int next(int remaining) {
        return 1 + random.nextInt(Math.min(remaining, maxRead));
    }
}
