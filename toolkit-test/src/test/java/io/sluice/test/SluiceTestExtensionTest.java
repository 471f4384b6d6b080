package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.sluice.api.BufferBudget;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Runs small test classes through the JUnit testkit and checks that the extension fails exactly the bad ones. */
class SluiceTestExtensionTest {

    /** Kept reachable so that the test that leaks through the tracker is caught by the tracker, not by the GC. */
    static volatile ByteBuf kept;

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(SelfTestOnly.PARAMETER, "true")
                .selectors(selectClass(testClass))
                .execute()
                .testEvents();
    }

    private static String failureOf(Events events) {
        List<Event> failed = events.failed().list();
        assertThat(failed).as("failed tests").hasSize(1);
        Throwable t = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        return t.getMessage();
    }

    @Test
    void leakedTrackedBufferFailsNamingTheAllocationSite() {
        String message = failureOf(run(LeaksTrackedBuffer.class));
        assertThat(message)
                .contains("LeakTrackingAllocator")
                .contains("capacity=64")
                .contains("readable=3")
                .contains("LeaksTrackedBuffer.leak");
    }

    @Test
    void leakedNettyBufferFailsThroughTheParanoidDetector() {
        assertThat(SluiceTest.nettyLeaksFailTests()).as("our detector replaced Netty's").isTrue();
        String message = failureOf(run(LeaksNettyBuffer.class));
        assertThat(message).contains("Netty leak detector").contains("LEAK: ByteBuf.release() was not called");
    }

    @Test
    void budgetClosedWithOutstandingBuffersFailsNamingTheTouchHint() {
        String message = failureOf(run(LeaksBudgetBuffer.class));
        assertThat(message).contains("BufferBudget").contains("leaky-budget").contains("held by the frame reader");
    }

    @Test
    void sleepingOnNettyEventLoopFails() {
        String message = failureOf(run(SleepsOnEventLoop.class));
        assertThat(message).contains("BlockHound").contains("java.lang.Thread.sleep");
    }

    @Test
    void sleepingOnPlainThreadEventLoopFails() {
        String message = failureOf(run(SleepsOnPlainThreadEventLoop.class));
        assertThat(message).contains("BlockHound").contains("java.lang.Thread.sleep");
    }

    @Test
    void sleepingOnReactorParallelSchedulerFailsEvenWhenTheErrorIsSwallowed() {
        String message = failureOf(run(SleepsOnParallelScheduler.class));
        assertThat(message).contains("BlockHound").contains("java.lang.Thread.sleep");
    }

    @Test
    void cleanTestPasses() {
        Events events = run(CleanTest.class);
        events.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @SelfTestOnly
    @ExtendWith(SluiceTestExtension.class)
    static class LeaksTrackedBuffer {
        @Test
        void leak() {
            ByteBuf buf = SluiceTest.allocator().buffer(64);
            buf.writeBytes(new byte[] {1, 2, 3});
            kept = buf;
        }
    }

    @SelfTestOnly
    @ExtendWith(SluiceTestExtension.class)
    static class LeaksNettyBuffer {
        @Test
        void leak() {
            PooledByteBufAllocator.DEFAULT.directBuffer(32).writeInt(42);
        }
    }

    @SelfTestOnly
    @ExtendWith(SluiceTestExtension.class)
    static class LeaksBudgetBuffer {
        @Test
        void leak() {
            BufferBudget budget = BufferBudget.builder().name("leaky-budget").trackBuffers(true)
                    .parent(SluiceTest.allocator()).build();
            ByteBuf buf = budget.allocator().buffer(16);
            buf.touch("held by the frame reader");
            budget.close();
            buf.release();
        }
    }

    @SelfTestOnly
    @ExtendWith(SluiceTestExtension.class)
    static class SleepsOnEventLoop {
        @Test
        void sleep() throws Exception {
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                // The error is swallowed by the task; the extension must still see it.
                group.next().submit(() -> {
                    try {
                        Thread.sleep(1);
                    } catch (Throwable ignored) {
                        // the point of the test
                    }
                }).await(5_000);
            } finally {
                group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @SelfTestOnly
    @ExtendWith(SluiceTestExtension.class)
    static class SleepsOnPlainThreadEventLoop {
        @Test
        void sleep() throws Exception {
            ThreadFactory plain = Thread::new;
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, plain, NioIoHandler.newFactory());
            try {
                group.next().submit(() -> {
                    try {
                        Thread.sleep(1);
                    } catch (Throwable ignored) {
                        // the point of the test
                    }
                }).await(5_000);
            } finally {
                group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @SelfTestOnly
    @ExtendWith(SluiceTestExtension.class)
    static class SleepsOnParallelScheduler {
        @Test
        void sleep() {
            Mono.fromCallable(() -> {
                        Thread.sleep(1);
                        return 1;
                    })
                    .subscribeOn(Schedulers.parallel())
                    .onErrorReturn(0)
                    .block(Duration.ofSeconds(5));
        }
    }

    @SelfTestOnly
    @ExtendWith(SluiceTestExtension.class)
    static class CleanTest {
        @Test
        void releasesWhatItAllocates(LeakTrackingAllocator allocator) {
            ByteBuf buf = allocator.buffer(8).writeLong(1);
            buf.retainedSlice().release();
            buf.release();
            assertThat(allocator).isSameAs(SluiceTest.allocator());
        }

        @Test
        void blocksOnlyOnItsOwnThread() throws Exception {
            Thread.sleep(1);
        }
    }
}
