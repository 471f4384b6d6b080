package io.sluice.test;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.function.Predicate;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Our additions to BlockHound, on top of the integrations Reactor and Netty ship (found through the ServiceLoader):
 *
 * <ul>
 *   <li>A blocking call is recorded in the running test's scope before the error is thrown, because a call on an
 *       event loop usually ends up as an error signal, or a log line, on some other thread.</li>
 *   <li>Netty's own integration only covers event loops running on {@link FastThreadLocalThread}s. An event loop
 *       given a plain thread factory runs on plain threads; those are recognised by the executor Netty binds to the
 *       thread while it runs the loop. Whether a plain thread is an event loop changes over its life, so it is
 *       asked on every blocking call rather than once.</li>
 *   <li>Netty 4.2's adaptive allocator (the default) takes a {@code StampedLock} for a moment when threads
 *       contend for its magazines and it adds more; Netty's integration does not list that (yet), so a busy test
 *       with several event loops allocating at once (a heap buffer written to an epoll socket is copied into a
 *       direct one, for instance) would fail on it. It is the allocator's own short critical section, not I/O.</li>
 * </ul>
 */
final class BlockingCallIntegration implements BlockHoundIntegration {

    private static final Class<?> EVENT_LOOP = optionalClass("io.netty.channel.EventLoop");

    @Override
    public void applyTo(BlockHound.Builder builder) {
        Predicate<Thread> plainEventLoop = BlockingCallIntegration::runsPlainEventLoop;
        builder.addDynamicThreadPredicate(thread -> !(thread instanceof FastThreadLocalThread));
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
                "tryExpandMagazines");
        builder.nonBlockingThreadPredicate(current -> current.or(plainEventLoop));
        builder.blockingMethodCallback(method -> {
            BlockingOperationError error = new BlockingOperationError(method);
            TestScope.recordBlockingCall(error);
            throw error;
        });
    }

    private static boolean runsPlainEventLoop(Thread thread) {
        if (EVENT_LOOP == null || thread != Thread.currentThread() || thread instanceof FastThreadLocalThread) {
            return false;
        }
        EventExecutor executor = ThreadExecutorMap.currentExecutor();
        return executor != null && EVENT_LOOP.isInstance(executor);
    }

    private static Class<?> optionalClass(String name) {
        try {
            return Class.forName(name, false, BlockingCallIntegration.class.getClassLoader());
        } catch (ClassNotFoundException absent) {
            return null;
        }
    }
}
