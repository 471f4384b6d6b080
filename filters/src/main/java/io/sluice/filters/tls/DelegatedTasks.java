package io.sluice.filters.tls;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import reactor.core.scheduler.Scheduler;

/**
 * Runs an engine's delegated tasks (certificate checks, key exchange) off the drain loop, one batch at a time, and
 * wakes the loop when the batch is done. While a batch runs the loop leaves the engine alone: the engine is not
 * thread-safe across a task and a wrap, and some engines lock internally, which an event loop must not wait on.
 *
 * <p>The loop calls {@link #start}, {@link #busy()} and {@link #collect()}; the task thread only sets the outcome.
 */
final class DelegatedTasks {

    private final Scheduler scheduler;
    private final Runnable wake;
    private volatile boolean done;
    private volatile Throwable error;

    // Owned by the drain loop.
    private boolean running;

    DelegatedTasks(Scheduler scheduler, Runnable wake) {
        this.scheduler = scheduler;
        this.wake = wake;
    }

    /** Takes the engine's pending tasks and runs them on the scheduler; false when there were none. */
    boolean start(SSLEngine engine) {
        List<Runnable> tasks = new ArrayList<>(2);
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        if (tasks.isEmpty()) {
            return false;
        }
        running = true;
        done = false;
        error = null;
        try {
            scheduler.schedule(() -> run(tasks));
        } catch (RuntimeException rejected) {
            error = rejected;
            done = true;
        }
        return true;
    }

    private void run(List<Runnable> tasks) {
        try {
            for (Runnable t : tasks) {
                t.run();
            }
        } catch (RuntimeException | Error e) {
            error = e;
        } finally {
            done = true;
            wake.run();
        }
    }

    /** A batch was started and its outcome not yet collected: the engine belongs to the task thread until done. */
    boolean busy() {
        return running;
    }

    /** The batch started last has finished. */
    boolean done() {
        return done;
    }

    /** After {@link #done()}: the engine is the loop's again; returns what the tasks threw, if anything. */
    Throwable collect() {
        running = false;
        return error;
    }
}
