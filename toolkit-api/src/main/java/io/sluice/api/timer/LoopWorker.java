package io.sluice.api.timer;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A worker of a {@link LoopScheduler}: its tasks run on the loop's one thread, so in order and never at once;
 * disposing it disposes every task it still holds. Tasks the loop cannot take (it is shutting down) go to one
 * worker of Reactor's parallel scheduler, made for this worker when first needed, so they too run one at a time;
 * only while the loop shuts down may such a task run alongside one the loop had already queued.
 */
final class LoopWorker implements Scheduler.Worker {

    private static final AtomicReferenceFieldUpdater<LoopWorker, Scheduler.Worker> FALLBACK =
            AtomicReferenceFieldUpdater.newUpdater(LoopWorker.class, Scheduler.Worker.class, "fallback");

    private final EventExecutor loop;
    private final Disposable.Composite tasks = Disposables.composite();
    private volatile Scheduler.Worker fallback;

    LoopWorker(EventExecutor loop) {
        this.loop = loop;
    }

    @Override
    public Disposable schedule(Runnable task) {
        return scheduleNanos(task, 0L);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return scheduleNanos(task, unit.toNanos(delay));
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        PeriodicTask periodic = new PeriodicTask(task, unit.toNanos(period), this::scheduleNanos);
        if (!tasks.add(periodic)) {
            throw Exceptions.failWithRejected();
        }
        return periodic.start(unit.toNanos(initialDelay));
    }

    private Disposable scheduleNanos(Runnable task, long delayNanos) {
        LoopTask t = new LoopTask(task, delayNanos, this::onFallback, tasks);
        if (!tasks.add(t)) {
            throw Exceptions.failWithRejected();
        }
        return t.arm(loop);
    }

    private Disposable onFallback(Runnable task, long delayNanos) {
        Scheduler.Worker worker = fallback;
        if (worker == null) {
            Scheduler.Worker made = Schedulers.parallel().createWorker();
            if (FALLBACK.compareAndSet(this, null, made)) {
                worker = made;
                if (tasks.isDisposed()) {
                    made.dispose();
                }
            } else {
                made.dispose();
                worker = fallback;
            }
        }
        return worker.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void dispose() {
        tasks.dispose();
        Scheduler.Worker worker = FALLBACK.getAndSet(this, DisposedWorker.INSTANCE);
        if (worker != null) {
            worker.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        return tasks.isDisposed();
    }

    /** Takes the place of the fallback worker once this worker is disposed: refuses every task. */
    private enum DisposedWorker implements Scheduler.Worker {
        INSTANCE;

        @Override
        public Disposable schedule(Runnable task) {
            throw Exceptions.failWithRejected();
        }

        @Override
        public boolean isDisposed() {
            return true;
        }

        @Override
        public void dispose() {
        }
    }
}
