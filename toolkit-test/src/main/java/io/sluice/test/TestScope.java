package io.sluice.test;

import io.sluice.api.BudgetLeak;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What one running test has collected: its allocator, and the problems reported on any thread while it ran.
 * Scopes nest (a test that runs other tests through the JUnit testkit), so each remembers the one it replaced.
 */
final class TestScope {

    private static volatile TestScope current;

    final String testName;
    final TestScope enclosing;
    final LeakTrackingAllocator allocator = LeakTrackingAllocator.create();
    final ConcurrentLinkedQueue<Throwable> blockingCalls = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> nettyLeaks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<BudgetLeak> budgetLeaks = new ConcurrentLinkedQueue<>();

    private TestScope(String testName, TestScope enclosing) {
        this.testName = testName;
        this.enclosing = enclosing;
    }

    static TestScope current() {
        return current;
    }

    static TestScope open(String testName) {
        TestScope scope = new TestScope(testName, current);
        current = scope;
        return scope;
    }

    void close() {
        if (current == this) {
            current = enclosing;
        }
    }

    static void recordBlockingCall(Throwable error) {
        TestScope scope = current;
        if (scope != null) {
            scope.blockingCalls.add(error);
        }
    }

    static void recordNettyLeak(String report) {
        TestScope scope = current;
        if (scope != null) {
            scope.nettyLeaks.add(report);
        }
    }

    static void recordBudgetLeak(BudgetLeak leak) {
        TestScope scope = current;
        if (scope != null) {
            scope.budgetLeaks.add(leak);
        }
    }

    List<Throwable> blockingCalls() {
        return List.copyOf(blockingCalls);
    }
}
