package io.sluice.api.timer;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A Reactor {@link Scheduler} over the Netty event loop a connection lives on: where a filter arms its timers
 * (handshake, close and keep-alive timeouts, {@code Mono.timeout(duration, scheduler)}), as Netty's own handlers
 * schedule theirs. Arming and cancelling a timer on its own loop takes no lock and wakes no other thread; Reactor's
 * parallel scheduler takes its executor's queue lock on every cancellation, which an event loop must not wait for.
 *
 * <pre>{@code
 * Scheduler timers = LoopScheduler.current();        // when the filter is applied, on the connection's loop
 * reply.timeout(Duration.ofSeconds(10), timers)      // fires, and is cancelled, on that loop
 * }</pre>
 *
 * <p>Where the loop cannot run a timer, Reactor's parallel scheduler does, so a timer is never lost and never runs
 * twice: {@link #current()} off any event loop and {@link #of(Executor)} given no event loop return
 * {@link Schedulers#parallel()} itself; a task scheduled while the loop is shutting down, refused by it
 * ({@link java.util.concurrent.RejectedExecutionException}), or cancelled by it because it shut down before the
 * deadline, runs on the parallel scheduler at its deadline. Workers keep their tasks in order on the loop's one
 * thread (see {@link #createWorker()}).
 *
 * <p>One scheduler is made per loop and kept until the loop terminates. It is never disposed: the loop belongs to the
 * runtime; {@link #dispose()} does nothing. No buffers cross this type.
 */
public final class LoopScheduler implements Scheduler {

    private static final ConcurrentMap<EventExecutor, LoopScheduler> BY_LOOP = new ConcurrentHashMap<>();

    private final EventExecutor loop;

    private LoopScheduler(EventExecutor loop) {
        this.loop = loop;
    }

    /**
     * The scheduler of the event loop the current thread runs, or {@link Schedulers#parallel()} off any event loop
     * or when that loop is shutting down. Call it where the connection's work runs (a filter applied by the
     * runtime, a handler started by it), not in a {@code Mono.defer} that may be subscribed on another thread.
     */
    public static Scheduler current() {
        return of(ThreadExecutorMap.currentExecutor());
    }

    /**
     * The scheduler of {@code home} when it is a Netty {@link EventExecutor} not shutting down (a connection's
     * event loop, as captured when its filter was applied), else {@link Schedulers#parallel()}; {@code null} is
     * allowed. Any thread.
     */
    public static Scheduler of(Executor home) {
        if (home instanceof EventExecutor loop && !loop.isShuttingDown()) {
            LoopScheduler known = BY_LOOP.get(loop);
            return known != null ? known : remember(loop);
        }
        return Schedulers.parallel();
    }

    private static LoopScheduler remember(EventExecutor loop) {
        LoopScheduler made = new LoopScheduler(loop);
        LoopScheduler raced = BY_LOOP.putIfAbsent(loop, made);
        if (raced != null) {
            return raced;
        }
        loop.terminationFuture().addListener(done -> BY_LOOP.remove(loop, made));
        return made;
    }

    /** The event loop this scheduler runs its tasks on. */
    public EventExecutor loop() {
        return loop;
    }

    @Override
    public Disposable schedule(Runnable task) {
        return scheduleNanos(task, 0L);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return scheduleNanos(task, unit.toNanos(delay));
    }

    /** At a fixed rate; runs never overlap, and a run that throws ends the series. */
    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return new PeriodicTask(task, unit.toNanos(period), this::scheduleNanos).start(unit.toNanos(initialDelay));
    }

    private Disposable scheduleNanos(Runnable task, long delayNanos) {
        return new LoopTask(task, delayNanos, LoopScheduler::onParallel, null).arm(loop);
    }

    private static Disposable onParallel(Runnable task, long delayNanos) {
        return Schedulers.parallel().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A worker whose tasks run in order, one at a time, on the loop; while the loop shuts down, the tasks it can no
     * longer take go to one worker of the parallel scheduler.
     */
    @Override
    public Worker createWorker() {
        return new LoopWorker(loop);
    }

    /** Does nothing: the loop belongs to the runtime, and tasks it can no longer run go to the parallel scheduler. */
    @Override
    public void dispose() {
    }

    @Override
    public String toString() {
        return "LoopScheduler[" + loop + "]";
    }
}
