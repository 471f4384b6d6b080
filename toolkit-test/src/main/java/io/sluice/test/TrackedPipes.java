package io.sluice.test;

import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.api.pipe.PipeOptions;

/**
 * In-memory pipes whose two budgets take memory from the running test's {@link SluiceTest#allocator()}, so that a
 * buffer left behind by either end fails the test. Buffer ownership is that of {@link Pipe}.
 */
public final class TrackedPipes {

    private TrackedPipes() {
    }

    /** Options preset with the running test's allocator; set chunking and water marks on the result. */
    public static PipeOptions options() {
        return PipeOptions.defaults().allocator(SluiceTest.allocator());
    }

    /** A pipe over the running test's allocator, writes arriving whole. */
    public static Pipe create() {
        return Pipe.create(options());
    }

    /** A pipe over the running test's allocator, writes split by {@code chunking}. */
    public static Pipe create(Chunking chunking) {
        return Pipe.create(options().chunking(chunking));
    }
}
