package io.sluice.test;

import io.sluice.api.BudgetLeak;
import java.util.ArrayList;
import java.util.List;

/**
 * Static access to the running test's tools, from any thread. Requires {@link SluiceTestExtension}.
 */
public final class SluiceTest {

    private SluiceTest() {
    }

    /**
     * The running test's leak-tracking allocator; its buffers must all be released when the test ends. Buffers
     * allocated from it belong to the caller.
     *
     * @throws IllegalStateException when no test under {@link SluiceTestExtension} is running
     */
    public static LeakTrackingAllocator allocator() {
        TestScope scope = TestScope.current();
        if (scope == null) {
            throw new IllegalStateException(
                    "no test is running under SluiceTestExtension; register it with @ExtendWith or autodetection");
        }
        return scope.allocator;
    }

    /**
     * Takes the budget leaks reported so far in the running test, which then no longer fail it: for tests that
     * leak on purpose to check the report. Any leak reported later still fails the test.
     */
    public static List<BudgetLeak> claimBudgetLeaks() {
        TestScope scope = TestScope.current();
        if (scope == null) {
            throw new IllegalStateException("no test is running under SluiceTestExtension");
        }
        List<BudgetLeak> claimed = new ArrayList<>();
        BudgetLeak leak;
        while ((leak = scope.budgetLeaks.poll()) != null) {
            claimed.add(leak);
        }
        return claimed;
    }

    /** Whether Netty's buffer leak reports fail tests in this JVM: false if Netty initialized before the kit. */
    public static boolean nettyLeaksFailTests() {
        return SluiceTestExtension.leakDetectorInstalled();
    }
}
