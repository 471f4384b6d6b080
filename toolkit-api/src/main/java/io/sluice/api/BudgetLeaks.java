package io.sluice.api;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import reactor.core.Disposable;

/**
 * Process-wide record of {@link BudgetLeak}s: a counter for metrics, and listeners (the test kit registers one that
 * fails the running test). Listeners are called on the thread that closed the budget and must not block.
 */
public final class BudgetLeaks {

    private static final LongAdder COUNT = new LongAdder();
    private static final CopyOnWriteArrayList<Consumer<BudgetLeak>> LISTENERS = new CopyOnWriteArrayList<>();

    private BudgetLeaks() {
    }

    /** Leaks detected in this process since it started. */
    public static long count() {
        return COUNT.sum();
    }

    /** Registers a listener; dispose the result to remove it. */
    public static Disposable listen(Consumer<BudgetLeak> listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    static void report(BudgetLeak leak) {
        COUNT.increment();
        for (Consumer<BudgetLeak> listener : LISTENERS) {
            listener.accept(leak);
        }
    }
}
