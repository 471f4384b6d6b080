package io.sluice.api.pipe;

/**
 * How a {@link Pipe} splits each written buffer into the reads its peer sees, as a stream socket may. Given the
 * bytes of the current write still to deliver, returns the size of the next read, from 1 to {@code remaining}.
 */
@FunctionalInterface
public interface Chunking {

    int next(int remaining);

    /** Each write arrives as one read. */
    static Chunking whole() {
        return remaining -> remaining;
    }

    /** Writes arrive in reads of at most {@code size} bytes. */
    static Chunking atMost(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        return remaining -> Math.min(size, remaining);
    }

    /** Every byte is its own read: the harshest split. */
    static Chunking everyByte() {
        return remaining -> 1;
    }
}
