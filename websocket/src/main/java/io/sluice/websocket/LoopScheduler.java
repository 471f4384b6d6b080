package io.sluice.websocket;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A Reactor {@link Scheduler} over the event loop the current thread runs, made once per event-loop thread: timers
 * armed and cancelled on their own loop take no lock (Reactor's parallel scheduler takes its executor's queue lock
 * on every cancellation, which an event loop must not wait for). Never disposed: the loop belongs to the runtime.
 */
final class LoopScheduler {

    private static final FastThreadLocal<Scheduler> ON_THIS_LOOP = new FastThreadLocal<>();

    private LoopScheduler() {
    }

    /** The current event loop's scheduler, or {@link Schedulers#parallel()} off any event loop. */
    static Scheduler current() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        if (loop != null && loop.inEventLoop() && !loop.isShuttingDown()) {
            Scheduler scheduler = ON_THIS_LOOP.get();
            if (scheduler == null) {
                scheduler = Schedulers.fromExecutorService(loop, "sluice-websocket-timers");
                ON_THIS_LOOP.set(scheduler);
            }
            return scheduler;
        }
        return Schedulers.parallel();
    }
}
