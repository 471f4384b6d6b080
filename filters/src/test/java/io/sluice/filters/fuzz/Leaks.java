package io.sluice.filters.fuzz;

import io.sluice.api.BudgetLeak;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.List;

/**
 * The test kit's leak checks, made after each fuzz input rather than once at the end of the test, so that a leak
 * names the input that caused it.
 */
public final class Leaks {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private Leaks() {
    }

    /**
     * Fails naming {@code what} if a buffer of the test's allocator is still held (after a bounded wait for other
     * threads), or if a connection's budget reported a leak.
     */
    public static void assertNone(String what) {
        try {
            SluiceTest.allocator().assertNoLeaks(WAIT);
        } catch (AssertionError e) {
            throw new AssertionError("leak after " + what + ": " + e.getMessage(), e);
        }
        List<BudgetLeak> budgetLeaks = SluiceTest.claimBudgetLeaks();
        if (!budgetLeaks.isEmpty()) {
            throw new AssertionError("budget leak after " + what + ": " + budgetLeaks.get(0).message());
        }
    }
}
