package io.sluice.api.operator;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The part every demand-driven operator of a filter shares, in reactor-core's shape: it subscribes to one source
 * and is the subscription of one subscriber, keeps the subscriber's demand, records how the source ended, and runs
 * all of its work in {@link #drainLoop()}, which is never entered by two threads at once and is entered again
 * whenever a signal arrived while it ran. Subclasses keep what the source emitted (in {@link #onNext}) and turn it
 * into output in the drain loop; there, they check {@link #isCancelled()}, {@link #isDone()} and
 * {@link #requested()}, report what they emitted with {@link #produced(long)}, and call the subscriber's terminal
 * signal once.
 *
 * <p>Ownership: what the source emits belongs to the subclass from {@code onNext} on; what it hands the subscriber
 * belongs to the subscriber. A subclass releases what it holds when the drain loop sees a cancellation or ends the
 * stream, so that the subscriber never hears of the end while a buffer is still held here.
 *
 * @param <T> what the source emits
 * @param <R> what the subscriber receives
 */
public abstract class DrainingOperator<T, R> implements CoreSubscriber<T>, Subscription, Scannable {

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<DrainingOperator> WIP =
            AtomicIntegerFieldUpdater.newUpdater(DrainingOperator.class, "wip");
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<DrainingOperator> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(DrainingOperator.class, "requested");

    protected final CoreSubscriber<? super R> actual;
    private Subscription upstream;
    private volatile int wip;
    private volatile long requested;
    private volatile boolean done;
    private volatile Throwable error;
    private volatile boolean cancelled;

    protected DrainingOperator(CoreSubscriber<? super R> actual) {
        this.actual = actual;
    }

    @Override
    public final Context currentContext() {
        return actual.currentContext();
    }

    @Override
    public final void onSubscribe(Subscription s) {
        if (Operators.validate(upstream, s)) {
            upstream = s;
            actual.onSubscribe(this);
            onStart();
        }
    }

    /** Called once the subscriber has this subscription: where an operator that reads ahead makes its first request. */
    protected void onStart() {
    }

    /** Records the source's failure (a second end is dropped) and drains. */
    @Override
    public final void onError(Throwable t) {
        if (done) {
            Operators.onErrorDropped(t, actual.currentContext());
            return;
        }
        error = t;
        done = true;
        drain();
    }

    @Override
    public final void onComplete() {
        if (done) {
            return;
        }
        done = true;
        drain();
    }

    @Override
    public final void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            drain();
        }
    }

    /** Cancels the source, lets {@link #onCancel()} react at once, and drains so that what is held is released. */
    @Override
    public final void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        upstream.cancel();
        onCancel();
        drain();
    }

    /** Called once, on the cancelling thread, after the source was cancelled and before the drain. */
    protected void onCancel() {
    }

    /** Runs {@link #drainLoop()} here unless another thread runs it now, in which case that thread runs it again. */
    protected final void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            drainLoop();
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** The operator's work: one thread at a time, with everything the signals so far recorded visible. */
    protected abstract void drainLoop();

    /** The source, for requesting more of it or cancelling it from the drain loop. */
    protected final Subscription upstream() {
        return upstream;
    }

    /** Whether the source has ended, successfully or not. */
    protected final boolean isDone() {
        return done;
    }

    /** How the source failed, once {@link #isDone()}; null if it completed. */
    protected final Throwable sourceError() {
        return error;
    }

    protected final boolean isCancelled() {
        return cancelled;
    }

    /** The subscriber's outstanding demand ({@link Long#MAX_VALUE} for unbounded). */
    protected final long requested() {
        return requested;
    }

    /** Takes {@code n} emitted items off the outstanding demand (nothing to do when it is unbounded). */
    protected final void produced(long n) {
        if (n != 0 && requested != Long.MAX_VALUE) {
            REQUESTED.addAndGet(this, -n);
        }
    }

    @Override
    public Object scanUnsafe(Attr key) {
        if (key == Attr.PARENT) {
            return upstream;
        }
        if (key == Attr.ACTUAL) {
            return actual;
        }
        if (key == Attr.TERMINATED) {
            return done;
        }
        if (key == Attr.CANCELLED) {
            return cancelled;
        }
        if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
            return requested;
        }
        if (key == Attr.ERROR) {
            return error;
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.SYNC;
        }
        return null;
    }
}
