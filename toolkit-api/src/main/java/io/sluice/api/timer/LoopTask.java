package io.sluice.api.timer;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import reactor.core.Disposable;

/**
 * One task given to a {@link LoopScheduler} or its worker: it runs once, at its deadline, on the event loop; on the
 * fallback instead when the loop is shutting down, refuses it, or cancels it because it shuts down before the
 * deadline. It never runs twice (a state flag is claimed before it runs) and never after {@link #dispose()}.
 */
final class LoopTask implements Runnable, Disposable, GenericFutureListener<Future<Object>> {

    /** Where a task goes when the loop cannot take it: Reactor's parallel scheduler, or one of its workers. */
    @FunctionalInterface
    interface Fallback {
        Disposable schedule(Runnable task, long delayNanos);
    }

    private static final int WAITING = 0;
    private static final int RUN = 1;
    private static final int DISPOSED = 2;
    private static final Disposable CANCELLED = () -> { };
    private static final AtomicIntegerFieldUpdater<LoopTask> STATE =
            AtomicIntegerFieldUpdater.newUpdater(LoopTask.class, "state");
    private static final AtomicReferenceFieldUpdater<LoopTask, Disposable> TIMER =
            AtomicReferenceFieldUpdater.newUpdater(LoopTask.class, Disposable.class, "timer");

    private final Runnable task;
    private final long deadline;
    private final Fallback fallback;
    /** The worker's set of tasks this one leaves when it ran or was disposed; null for the scheduler's own. */
    private final Disposable.Composite owner;
    private volatile int state;
    /** How to cancel the current arming: the loop's future, or the fallback's disposable; {@link #CANCELLED} after. */
    private volatile Disposable timer;

    LoopTask(Runnable task, long delayNanos, Fallback fallback, Disposable.Composite owner) {
        this.task = task;
        this.deadline = System.nanoTime() + Math.max(0L, delayNanos);
        this.fallback = fallback;
        this.owner = owner;
    }

    /** Arms this task on {@code loop}, or on the fallback when the loop is shutting down or refuses it. */
    LoopTask arm(EventExecutor loop) {
        if (!loop.isShuttingDown()) {
            try {
                long delay = remainingNanos();
                if (delay == 0L) {
                    loop.execute(this); // tasks already queued still run while a loop shuts down
                } else {
                    ScheduledFuture<?> future = loop.schedule(this, delay, TimeUnit.NANOSECONDS);
                    replaceTimer(() -> future.cancel(false));
                    // a loop shutting down cancels its timers: this one then moves to the fallback (see below)
                    @SuppressWarnings("unchecked")
                    Future<Object> watched = (Future<Object>) future;
                    watched.addListener(this);
                }
                return this;
            } catch (RejectedExecutionException shutDown) {
                // the loop stopped taking tasks after the check above
            }
        }
        armOnFallback();
        return this;
    }

    /** The loop's timer for this task ended: if the loop cancelled it (shutting down), the fallback runs it. */
    @Override
    public void operationComplete(Future<Object> future) {
        if (future.isCancelled() && state == WAITING) {
            armOnFallback();
        }
    }

    private void armOnFallback() {
        // a fallback refusing too (the application disposed Reactor's schedulers) throws to the caller, as Reactor's own do
        replaceTimer(fallback.schedule(this, remainingNanos()));
    }

    private long remainingNanos() {
        return Math.max(0L, deadline - System.nanoTime());
    }

    private void replaceTimer(Disposable next) {
        for (;;) {
            Disposable current = timer;
            if (current == CANCELLED) {
                next.dispose();
                return;
            }
            if (TIMER.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    @Override
    public void run() {
        if (!STATE.compareAndSet(this, WAITING, RUN)) {
            return;
        }
        try {
            task.run(); // a failure goes to the executor running it: Netty logs it, Reactor's handler gets it
        } finally {
            if (owner != null) {
                owner.remove(this);
            }
        }
    }

    @Override
    public void dispose() {
        if (STATE.compareAndSet(this, WAITING, DISPOSED)) {
            Disposable current = TIMER.getAndSet(this, CANCELLED);
            if (current != null) {
                current.dispose();
            }
            if (owner != null) {
                owner.remove(this);
            }
        }
    }

    /** True once the task ran (or started to) or was disposed. */
    @Override
    public boolean isDisposed() {
        return state != WAITING;
    }
}
