package io.sluice.test;

import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * The fault of one step of a {@link FaultSweep}: cancel, or fail with an {@link InjectedFault}, after {@link #step()}
 * elements. Apply it to whichever stream the scenario wants to break: {@code data.transform(fault.operator())}.
 * Ownership as in {@link Faults}.
 */
public record StepFault(FaultSweep.Kind kind, int step) {

    public <T> Function<Flux<T>, Flux<T>> operator() {
        return kind == FaultSweep.Kind.CANCEL
                ? Faults.cancelAfter(step)
                : Faults.errorAfter(step, new InjectedFault(kind + " injected at step " + step));
    }

    @Override
    public String toString() {
        return kind + " at step " + step;
    }
}
