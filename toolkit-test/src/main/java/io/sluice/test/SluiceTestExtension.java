package io.sluice.test;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ReferenceCounted;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.sluice.api.BudgetLeaks;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Hooks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Fails a test that leaks a buffer or blocks a non-blocking thread.
 *
 * <p>Registered for every test of a module that has {@code toolkit-test} on its test class path (through
 * {@code META-INF/services}, with {@code junit.jupiter.extensions.autodetection.enabled=true}), or explicitly with
 * {@code @ExtendWith(SluiceTestExtension.class)}. Once per JVM it
 * <ul>
 *   <li>installs BlockHound with Reactor's and Netty's integrations, and ours ({@link BlockingCallIntegration});</li>
 *   <li>sets Netty's leak detection to {@code PARANOID} with detectors that record each leak report;</li>
 *   <li>releases reference-counted values Reactor drops (an {@code onNext} after cancel or termination: the
 *       producer had handed over ownership, so the value is ours to release);</li>
 *   <li>listens for {@link io.sluice.api.BudgetLeak}s.</li>
 * </ul>
 * Reactor has no global discard hook: discarding is configured per subscription context, so each operator or
 * pipeline installs it itself (for example {@code doOnDiscard(ReferenceCounted.class, ReferenceCounted::release)}).
 *
 * <p>Each test gets a fresh {@link LeakTrackingAllocator}, through {@link SluiceTest#allocator()} or a test method
 * parameter. After the test, it fails if the allocator has buffers outstanding (after a bounded wait), if Netty's
 * detector reported a leak, if a {@code BufferBudget} closed with buffers outstanding, or if a blocking call was
 * made on a non-blocking thread, on whatever thread that happened. Tests of one JVM must not run concurrently:
 * problems reported on other threads are attributed to the test that is running.
 *
 * <p>Buffers: the extension owns none of the test's buffers. Buffers still outstanding in the allocator after a
 * failed check are released by it, so that one leak is reported once.
 */
public final class SluiceTestExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final Logger log = Loggers.getLogger(SluiceTestExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            SluiceTestExtension.class);
    private static final boolean LEAK_DETECTOR_INSTALLED;
    /** The most a test waits for the reference handler after a collection; it usually takes well under 1 ms. */
    private static final Duration REFERENCE_QUEUE_WAIT = Duration.ofSeconds(1);

    static {
        // Before any ByteBuf class initializes: AbstractByteBuf creates its detector once, in its static initializer.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new FailingLeakDetectorFactory());
        LEAK_DETECTOR_INSTALLED = bufferLeakDetectorIsOurs();
        if (!LEAK_DETECTOR_INSTALLED) {
            log.warn("Netty's ByteBuf leak detector was created before the Sluice test kit could replace it; "
                    + "Netty leaks will be logged but will not fail tests");
        }
        BlockHound.install(new BlockingCallIntegration());
        Hooks.onNextDropped(SluiceTestExtension::releaseDropped);
        BudgetLeaks.listen(TestScope::recordBudgetLeak);
    }

    /** Whether Netty's buffer leak reports fail tests in this JVM (see the class comment). */
    static boolean leakDetectorInstalled() {
        return LEAK_DETECTOR_INSTALLED;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestScope scope = TestScope.open(context.getUniqueId());
        context.getStore(NAMESPACE).put(TestScope.class, scope);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestScope scope = context.getStore(NAMESPACE).remove(TestScope.class, TestScope.class);
        if (scope == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            try {
                scope.allocator.assertNoLeaks();
            } catch (AssertionError leaked) {
                problems.add("LeakTrackingAllocator: " + leaked.getMessage());
                scope.allocator.releaseOutstanding();
            }
            scope.allocator.reset();
            pollNettyLeakDetector();
        } finally {
            scope.close();
        }
        for (String leak : scope.nettyLeaks) {
            problems.add("Netty leak detector: " + leak);
        }
        for (io.sluice.api.BudgetLeak leak : scope.budgetLeaks) {
            problems.add("BufferBudget: " + leak.message());
        }
        List<Throwable> blocking = scope.blockingCalls();
        for (Throwable call : blocking) {
            problems.add("BlockHound: " + call.getMessage() + " (on a non-blocking thread)");
        }
        if (!problems.isEmpty()) {
            AssertionError failure = new AssertionError(context.getDisplayName() + " left problems behind:\n- "
                    + String.join("\n- ", problems));
            blocking.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LeakTrackingAllocator.class
                && parameter.getDeclaringExecutable() instanceof Method;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SluiceTest.allocator();
    }

    /**
     * Netty's detector only looks at its queue of collected buffers when it tracks a new one: collect garbage, then
     * allocate a few buffers so that it does.
     */
    private static void pollNettyLeakDetector() {
        for (int round = 0; round < 2; round++) {
            collectAndAwaitReferenceQueues();
            touchDetector(PooledByteBufAllocator.DEFAULT);
            touchDetector(UnpooledByteBufAllocator.DEFAULT);
        }
    }

    /**
     * A full collection clears the references to leaked buffers, but the JVM's reference handler thread puts them on
     * the detector's queue only afterwards, when it gets to run (on a loaded machine, not within a fixed pause): wait
     * until it has queued a reference of ours cleared by the same collection. It takes the references of one
     * collection as a whole, so after the second round every reference cleared by the first is queued.
     */
    private static void collectAndAwaitReferenceQueues() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(REFERENCE_QUEUE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Reference.reachabilityFence(sentinel);
    }

    private static void touchDetector(ByteBufAllocator allocator) {
        allocator.directBuffer(1).release();
        allocator.heapBuffer(1).release();
    }

    private static void releaseDropped(Object dropped) {
        if (dropped instanceof ReferenceCounted rc && rc.refCnt() > 0) {
            rc.release();
        }
    }

    private static boolean bufferLeakDetectorIsOurs() {
        try {
            Class<?> type = Class.forName("io.netty.buffer.AbstractByteBuf");
            Field field = type.getDeclaredField("leakDetector");
            field.setAccessible(true);
            return field.get(null) instanceof FailingLeakDetectorFactory.RecordingDetector;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot inspect Netty's ByteBuf leak detector", e);
            return false;
        }
    }
}
