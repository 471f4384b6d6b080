package io.sluice.filters.tls;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * The driver's timers (the handshake timeout, the close_notify timeout): on the connection's own event loop when the
 * filter was applied on one, as Netty's {@code SslHandler} schedules its own, so that arming and cancelling one per
 * handshake costs no lock and wakes no other thread; otherwise (or when the loop is shutting down) on Reactor's
 * parallel scheduler.
 */
final class DriverTimers {

    private DriverTimers() {
    }

    static Disposable schedule(Executor home, Runnable task, Duration delay) {
        long millis = delay.toMillis();
        if (home instanceof EventExecutor loop && !loop.isShuttingDown()) {
            try {
                Future<?> timer = loop.schedule(task, millis, TimeUnit.MILLISECONDS);
                return () -> timer.cancel(false);
            } catch (RejectedExecutionException shutDown) {
                // the loop stopped meanwhile: the parallel scheduler still runs
            }
        }
        return Schedulers.parallel().schedule(task, millis, TimeUnit.MILLISECONDS);
    }
}
