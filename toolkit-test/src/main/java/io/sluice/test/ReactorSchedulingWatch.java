package io.sluice.test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Schedulers;

/**
 * Records every task handed to one of Reactor's own schedulers (parallel, single, bounded-elastic) from one thread,
 * through Reactor's schedule hook, until closed: a test that expects an event loop to keep its timers on itself
 * asserts that nothing was recorded. Each record is a {@link Throwable} whose stack shows where the task was given.
 * No buffers cross this type.
 *
 * <pre>{@code
 * try (ReactorSchedulingWatch watch = ReactorSchedulingWatch.on(loopThread)) {
 *     ... run the handshake on the loop ...
 *     assertThat(watch.scheduled()).isEmpty();
 * }
 * }</pre>
 */
public final class ReactorSchedulingWatch implements AutoCloseable {

    private static final AtomicInteger KEYS = new AtomicInteger();

    private final String key = "sluice-test-watch-" + KEYS.incrementAndGet();
    private final ConcurrentLinkedQueue<Throwable> scheduled = new ConcurrentLinkedQueue<>();

    private ReactorSchedulingWatch(Thread watched) {
        Schedulers.onScheduleHook(key, task -> {
            if (Thread.currentThread() == watched) {
                scheduled.add(new Throwable("a task was given to a Reactor scheduler on " + watched.getName()));
            }
            return task;
        });
    }

    /** Starts recording what {@code thread} hands to Reactor's schedulers. */
    public static ReactorSchedulingWatch on(Thread thread) {
        return new ReactorSchedulingWatch(thread);
    }

    /** What was recorded so far, oldest first. */
    public List<Throwable> scheduled() {
        return List.copyOf(scheduled);
    }

    /** Removes the hook; what was recorded stays readable. */
    @Override
    public void close() {
        Schedulers.resetOnScheduleHook(key);
    }
}
