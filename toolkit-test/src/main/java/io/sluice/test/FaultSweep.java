package io.sluice.test;

import io.sluice.api.BufferBudget;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.api.pipe.PipeOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a scenario once per fault: for every kind (cancel, error) and every step {@code 0..steps}, a fresh pipe over
 * a fresh {@link LeakTrackingAllocator}, the scenario with that fault, then both ends closed; and asserts that both
 * budgets came back to zero and every buffer was released. The first step that leaves something behind fails,
 * named.
 *
 * <pre>{@code
 * FaultSweep.steps(5).run((fault, pipe) -> {
 *     Mono<Void> send = pipe.left().send(frames().transform(fault.operator()));
 *     ...
 * });
 * }</pre>
 *
 * <p>Ownership: the scenario owns what it receives from the pipe; the sweep owns nothing. Buffers still
 * outstanding after a failed step are released before the failure is thrown.
 */
public final class FaultSweep {

    /** What the injected fault does. */
    public enum Kind { CANCEL, ERROR }

    /** One run of the scenario under test; may throw, which fails the sweep at that step. */
    @FunctionalInterface
    public interface Scenario {
        void run(StepFault fault, Pipe pipe) throws Exception;
    }

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(1);

    private final int steps;
    private Set<Kind> kinds = EnumSet.allOf(Kind.class);
    private Chunking chunking = Chunking.whole();
    private long lowWaterMark = BufferBudget.DEFAULT_LOW_WATER_MARK;
    private long highWaterMark = BufferBudget.DEFAULT_HIGH_WATER_MARK;

    private FaultSweep(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        this.steps = steps;
    }

    /** A sweep over steps {@code 0..steps}, inclusive. */
    public static FaultSweep steps(int steps) {
        return new FaultSweep(steps);
    }

    public FaultSweep kinds(Kind first, Kind... rest) {
        this.kinds = EnumSet.of(first, rest);
        return this;
    }

    /** How the pipes split writes; {@link Chunking#whole()} unless set. Chunkings with state need a fresh one each run. */
    public FaultSweep chunking(Chunking chunking) {
        this.chunking = Objects.requireNonNull(chunking, "chunking");
        return this;
    }

    public FaultSweep waterMarks(long low, long high) {
        this.lowWaterMark = low;
        this.highWaterMark = high;
        return this;
    }

    /** Runs the scenario at every fault; throws {@link AssertionError} at the first one that leaks or hangs. */
    public void run(Scenario scenario) {
        for (Kind kind : kinds) {
            for (int step = 0; step <= steps; step++) {
                runOne(scenario, new StepFault(kind, step));
            }
        }
    }

    private void runOne(Scenario scenario, StepFault fault) {
        LeakTrackingAllocator tracker = LeakTrackingAllocator.create();
        Pipe pipe = Pipe.create(PipeOptions.defaults()
                .allocator(tracker)
                .chunking(chunking)
                .waterMarks(lowWaterMark, highWaterMark)
                .name("sweep-" + fault.kind().name().toLowerCase(java.util.Locale.ROOT) + "-" + fault.step()));
        try {
            try {
                scenario.run(fault, pipe);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(fault + ": scenario failed: " + e, e);
            }
            pipe.close();
            awaitClosed(pipe.left(), fault);
            awaitClosed(pipe.right(), fault);
            assertZero(pipe.left().budget(), fault);
            assertZero(pipe.right().budget(), fault);
            try {
                tracker.assertNoLeaks(RELEASE_WAIT);
            } catch (AssertionError leaked) {
                throw new AssertionError(fault + ": " + leaked.getMessage());
            }
        } finally {
            pipe.close();
            tracker.releaseOutstanding();
        }
    }

    private static void awaitClosed(Pipe.End end, StepFault fault) {
        try {
            end.onClose().block(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            throw new AssertionError(fault + ": " + end.info().id() + " did not close within " + CLOSE_TIMEOUT
                    + ": " + e.getMessage(), e);
        }
    }

    private static void assertZero(BufferBudget budget, StepFault fault) {
        if (budget.outstandingBytes() != 0 || budget.outstandingBuffers() != 0) {
            throw new AssertionError(fault + ": budget " + budget.name() + " holds " + budget.outstandingBytes()
                    + " bytes in " + budget.outstandingBuffers() + " buffer(s) after close");
        }
    }
}
