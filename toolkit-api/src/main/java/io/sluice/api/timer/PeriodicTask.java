package io.sluice.api.timer;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import reactor.core.Disposable;

/**
 * A periodic task of a {@link LoopScheduler} or its worker, at a fixed rate: each run arms the next one-shot task
 * for the next multiple of the period after the first deadline, so a run never overlaps the one before it and a
 * loop shutting down moves the series to the fallback as it moves any task. A run that throws ends the series.
 */
final class PeriodicTask implements Runnable, Disposable {

    private static final Disposable CANCELLED = () -> { };
    private static final AtomicReferenceFieldUpdater<PeriodicTask, Disposable> NEXT =
            AtomicReferenceFieldUpdater.newUpdater(PeriodicTask.class, Disposable.class, "next");

    private final Runnable task;
    private final long periodNanos;
    private final LoopTask.Fallback scheduling;
    /** Read and written only by the run in progress (runs never overlap), and before the first one. */
    private long deadline;
    private volatile Disposable next;

    /** @param scheduling arms one run (the loop scheduler's or worker's one-shot scheduling) */
    PeriodicTask(Runnable task, long periodNanos, LoopTask.Fallback scheduling) {
        this.task = task;
        this.periodNanos = Math.max(0L, periodNanos);
        this.scheduling = scheduling;
    }

    PeriodicTask start(long initialDelayNanos) {
        deadline = System.nanoTime() + Math.max(0L, initialDelayNanos);
        armNext();
        return this;
    }

    @Override
    public void run() {
        if (isDisposed()) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            dispose();
            throw e;
        }
        deadline += periodNanos;
        try {
            armNext();
        } catch (RejectedExecutionException refused) {
            dispose(); // the worker was disposed, or Reactor's schedulers were: nowhere left to run
        }
    }

    private void armNext() {
        Disposable armed = scheduling.schedule(this, Math.max(0L, deadline - System.nanoTime()));
        for (;;) {
            Disposable current = next;
            if (current == CANCELLED) {
                armed.dispose();
                return;
            }
            if (NEXT.compareAndSet(this, current, armed)) {
                return;
            }
        }
    }

    @Override
    public void dispose() {
        Disposable current = NEXT.getAndSet(this, CANCELLED);
        if (current != null && current != CANCELLED) {
            current.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        return next == CANCELLED;
    }
}
