package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.api.timer.LoopScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Timers on the event loop a connection lives on: they fire on that loop, are cancelled there without a lock
 * (BlockHound, on in every test, fails a test whose loop blocks), and when the loop cannot run them (none, shutting
 * down, refusing) Reactor's parallel scheduler does, each task exactly once.
 */
class LoopSchedulerTest {

    @RegisterExtension
    final TestEventLoop owned = TestEventLoop.start();
    private final EventLoop loop = owned.loop();

    @Test
    void onAnEventLoopTheSchedulerIsThatLoopsOwnAndTheSameEachTime() throws Exception {
        Scheduler onLoop = owned.call(LoopScheduler::current);
        assertThat(onLoop).isInstanceOf(LoopScheduler.class).isSameAs(owned.call(LoopScheduler::current));
        assertThat(((LoopScheduler) onLoop).loop()).isSameAs(loop);
        assertThat(LoopScheduler.of(loop)).isSameAs(onLoop);
    }

    @Test
    void timersFireOnTheLoop() throws Exception {
        Scheduler timers = LoopScheduler.of(loop);
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        timers.schedule(() -> ranOn.complete(Thread.currentThread().getName()), 10, TimeUnit.MILLISECONDS);
        String fallbackThread = Mono.<String>never()
                .timeout(Duration.ofMillis(10), Mono.fromCallable(() -> Thread.currentThread().getName()), timers)
                .block(Duration.ofSeconds(5));
        assertThat(ranOn.get(5, TimeUnit.SECONDS)).isEqualTo(owned.threadName());
        assertThat(fallbackThread).isEqualTo(owned.threadName());
    }

    @Test
    void aTimerCancelledOnItsLoopNeverRunsAndTheLoopDoesNotBlock() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Boolean> disposed = new CompletableFuture<>();
        loop.execute(() -> {
            Scheduler timers = LoopScheduler.current();
            Disposable timer = timers.schedule(runs::incrementAndGet, 20, TimeUnit.MILLISECONDS);
            Disposable timeout = Mono.never().timeout(Duration.ofMillis(20), timers).subscribe(null, e -> runs.incrementAndGet());
            Disposable ticker = Flux.interval(Duration.ofMillis(20), timers).subscribe(tick -> runs.incrementAndGet());
            timer.dispose(); // BlockHound fails the test if any of these blocks the loop
            timeout.dispose();
            ticker.dispose();
            disposed.complete(timer.isDisposed());
        });
        assertThat(disposed.get(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(runs).hasValue(0);
    }

    @Test
    void offAnyEventLoopItIsTheParallelScheduler() throws Exception {
        Executor notALoop = Runnable::run;
        assertThat(LoopScheduler.current()).isSameAs(Schedulers.parallel());
        assertThat(LoopScheduler.of(null)).isSameAs(Schedulers.parallel());
        assertThat(LoopScheduler.of(notALoop)).isSameAs(Schedulers.parallel());
        CompletableFuture<Scheduler> onElastic = new CompletableFuture<>();
        Schedulers.boundedElastic().schedule(() -> onElastic.complete(LoopScheduler.current()));
        assertThat(onElastic.get(5, TimeUnit.SECONDS)).isSameAs(Schedulers.parallel());
    }

    @Test
    void aLoopShuttingDownIsNotHandedOut() throws Exception {
        Scheduler before = LoopScheduler.of(loop);
        owned.shutdown();
        assertThat(before).isInstanceOf(LoopScheduler.class);
        assertThat(LoopScheduler.of(loop)).isSameAs(Schedulers.parallel());
    }

    @Test
    void aTimerArmedBeforeItsLoopShutsDownStillFiresOnceOnTheParallelScheduler() throws Exception {
        Scheduler timers = LoopScheduler.of(loop);
        ConcurrentLinkedQueue<String> ranOn = new ConcurrentLinkedQueue<>();
        CountDownLatch ran = new CountDownLatch(1);
        // The loop must shut down before the deadline, or it runs the task itself: a deadline far enough away that
        // a loaded machine still shuts the loop down first (the shutdown takes milliseconds).
        timers.schedule(() -> {
            ranOn.add(Thread.currentThread().getName());
            ran.countDown();
        }, 1, TimeUnit.SECONDS);
        owned.shutdown(); // cancels the loop's own timer for the task

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(ranOn).singleElement().asString().startsWith("parallel-");
    }

    @Test
    void aTimerArmedWhileItsLoopShutsDownFiresOnTheParallelScheduler() throws Exception {
        Scheduler timers = LoopScheduler.of(loop);
        owned.shutdown();
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        timers.schedule(() -> ranOn.complete(Thread.currentThread().getName()), 10, TimeUnit.MILLISECONDS);
        assertThat(ranOn.get(5, TimeUnit.SECONDS)).startsWith("parallel-");
    }

    @Test
    void aTaskTheLoopRefusesRunsOnceOnTheParallelScheduler() throws Exception {
        RefusingLoop refusing = new RefusingLoop();
        try {
            Scheduler timers = LoopScheduler.of(refusing);
            assertThat(timers).isInstanceOf(LoopScheduler.class);
            refusing.refuse = true;
            ConcurrentLinkedQueue<String> ranOn = new ConcurrentLinkedQueue<>();
            CountDownLatch ran = new CountDownLatch(2);
            timers.schedule(() -> {
                ranOn.add(Thread.currentThread().getName());
                ran.countDown();
            }, 10, TimeUnit.MILLISECONDS);
            timers.schedule(() -> {
                ranOn.add(Thread.currentThread().getName());
                ran.countDown();
            });
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(50);
            assertThat(ranOn).hasSize(2).allSatisfy(name -> assertThat(name).startsWith("parallel-"));
            assertThat(refusing.refusals).hasValue(2);
        } finally {
            refusing.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void everyTaskRunsOnceUnlessDisposedFirstEvenWhenDisposeRacesTheTimer() throws Exception {
        Scheduler timers = LoopScheduler.of(loop);
        int count = 2_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        List<Disposable> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            tasks.add(timers.schedule(() -> runs.incrementAndGet(index), i % 3, TimeUnit.MILLISECONDS));
        }
        for (int i = 0; i < count; i += 2) {
            tasks.get(i).dispose(); // some before their timer fires, some while it fires, some after
        }
        CountDownLatch drained = new CountDownLatch(1);
        timers.schedule(drained::countDown, 10, TimeUnit.MILLISECONDS);
        assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < count; i++) {
            assertThat(runs.get(i)).as("runs of task %d", i).isLessThanOrEqualTo(1);
            if (i % 2 == 1) {
                assertThat(runs.get(i)).as("runs of task %d, never disposed", i).isEqualTo(1);
            }
        }
    }

    @Test
    void periodicTasksRunAtTheirRateOnTheLoopUntilDisposed() throws Exception {
        Scheduler timers = LoopScheduler.of(loop);
        List<String> tickedOn = Flux.interval(Duration.ofMillis(5), timers)
                .map(tick -> Thread.currentThread().getName())
                .take(5)
                .collectList()
                .block(Duration.ofSeconds(5));
        assertThat(tickedOn).hasSize(5).containsOnly(owned.threadName());

        AtomicInteger runs = new AtomicInteger();
        Disposable periodic = timers.schedulePeriodically(runs::incrementAndGet, 0, 5, TimeUnit.MILLISECONDS);
        awaitValue(runs, 3);
        periodic.dispose();
        int atDispose = runs.get();
        Thread.sleep(50);
        assertThat(runs.get()).isLessThanOrEqualTo(atDispose + 1); // one run may have been under way
        assertThat(periodic.isDisposed()).isTrue();
    }

    @Test
    void aPeriodicTaskThatThrowsEndsItsSeries() throws Exception {
        Scheduler timers = LoopScheduler.of(loop);
        AtomicInteger runs = new AtomicInteger();
        Disposable periodic = timers.schedulePeriodically(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("a failing tick, on purpose");
        }, 0, 5, TimeUnit.MILLISECONDS);
        awaitValue(runs, 1);
        Thread.sleep(50);
        assertThat(runs).hasValue(1);
        assertThat(periodic.isDisposed()).isTrue();
    }

    @Test
    void aWorkersTasksRunInOrderOnTheLoopAndDisposingItCancelsTheRest() throws Exception {
        Scheduler.Worker worker = LoopScheduler.of(loop).createWorker();
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        CountDownLatch ran = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            int n = i;
            worker.schedule(() -> {
                log.add(n + "@" + Thread.currentThread().getName());
                ran.countDown();
            });
        }
        AtomicInteger late = new AtomicInteger();
        worker.schedule(late::incrementAndGet, 1, TimeUnit.HOURS);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(log).containsExactly("0@" + owned.threadName(), "1@" + owned.threadName(), "2@" + owned.threadName());

        worker.dispose();
        assertThat(worker.isDisposed()).isTrue();
        assertThat(catchRejection(() -> worker.schedule(late::incrementAndGet))).isTrue();
        assertThat(late).hasValue(0);
    }

    private static boolean catchRejection(Runnable call) {
        try {
            call.run();
            return false;
        } catch (RejectedExecutionException expected) {
            return true;
        }
    }

    private static void awaitValue(AtomicInteger value, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (value.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(value.get()).isGreaterThanOrEqualTo(atLeast);
    }

    /** An executor that, once told to, refuses every task though it is not shutting down. */
    private static final class RefusingLoop extends DefaultEventLoop {
        volatile boolean refuse;
        final AtomicInteger refusals = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            if (refuse) {
                refusals.incrementAndGet();
                throw new RejectedExecutionException("refused on purpose");
            }
            super.execute(task);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            if (refuse) {
                refusals.incrementAndGet();
                throw new RejectedExecutionException("refused on purpose");
            }
            return super.schedule(task, delay, unit);
        }
    }
}
