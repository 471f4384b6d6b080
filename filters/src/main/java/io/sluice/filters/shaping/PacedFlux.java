package io.sluice.filters.shaping;

import io.netty.buffer.ByteBuf;
import io.sluice.api.operator.DrainingOperator;
import java.util.concurrent.TimeUnit;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.scheduler.Scheduler;

/**
 * Passes buffers on unchanged, but asks its source for them one at a time, and only when a {@link TokenBucket}
 * allows: the next request waits until the bytes already passed are paid for at the bucket's rate (less its burst).
 * Paced this way, a connection's inbound stream reads its socket no faster than the rate, so the peer is slowed by
 * TCP's own flow control, and an outbound stream is pulled from the application no faster than the rate.
 *
 * <p>Ownership: a buffer the source emits is the subscriber's as soon as it is emitted, which is at once (one is
 * requested only when the subscriber has demand). A buffer still here when the subscriber cancels is released here.
 * Timers run on the scheduler given, whose {@link Scheduler#now(TimeUnit)} is the clock.
 */
final class PacedFlux extends FluxOperator<ByteBuf, ByteBuf> {

    private final TokenBucket bucket;
    private final Scheduler timers;

    PacedFlux(Flux<? extends ByteBuf> source, TokenBucket bucket, Scheduler timers) {
        super(source);
        this.bucket = bucket;
        this.timers = timers;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        source.subscribe(new Pacer(actual, bucket, timers));
    }

    private static final class Pacer extends DrainingOperator<ByteBuf, ByteBuf> {
        private final TokenBucket bucket;
        private final Scheduler timers;
        /** The buffer the source emitted, until the drain loop hands it on. */
        private volatile ByteBuf arrived;
        /** One buffer was requested and has not arrived. Drain loop only. */
        private boolean asked;
        /** The armed timer, until the drain loop sees it {@link #fired}; set by the drain loop only. */
        private volatile Disposable timer;
        private volatile boolean fired;
        private boolean terminated;

        Pacer(CoreSubscriber<? super ByteBuf> actual, TokenBucket bucket, Scheduler timers) {
            super(actual);
            this.bucket = bucket;
            this.timers = timers;
        }

        @Override
        public void onNext(ByteBuf buf) {
            if (isCancelled() || isDone()) {
                buf.release();
                return;
            }
            arrived = buf;
            drain();
        }

        @Override
        protected void onCancel() {
            Disposable t = timer; // may race with the drain loop: disposing twice is harmless
            if (t != null) {
                t.dispose();
            }
        }

        @Override
        protected void drainLoop() {
            if (terminated) {
                release(); // one that arrived as the subscriber cancelled
                return;
            }
            if (isCancelled()) {
                terminate();
                return;
            }
            ByteBuf buf = arrived;
            if (buf != null) {
                if (requested() == 0) {
                    return; // only a source that emits unasked gets here: the buffer waits for demand
                }
                arrived = null;
                asked = false;
                bucket.charge(buf.readableBytes(), now());
                produced(1);
                actual.onNext(buf);
            }
            if (isDone()) {
                terminate();
                Throwable error = sourceError();
                if (error != null) {
                    actual.onError(error);
                } else {
                    actual.onComplete();
                }
                return;
            }
            if (timer != null) {
                if (!fired) {
                    return;
                }
                timer = null;
                fired = false;
            }
            if (asked || requested() == 0) {
                return;
            }
            long wait = bucket.delay(now());
            if (wait > 0) {
                timer = timers.schedule(this::fire, wait, TimeUnit.NANOSECONDS);
                return;
            }
            asked = true;
            upstream().request(1);
        }

        private void fire() {
            fired = true;
            drain();
        }

        private long now() {
            return timers.now(TimeUnit.NANOSECONDS);
        }

        /** Once: disposes the timer and releases a buffer that is still here. */
        private void terminate() {
            terminated = true;
            Disposable t = timer;
            timer = null;
            if (t != null) {
                t.dispose();
            }
            release();
        }

        private void release() {
            ByteBuf buf = arrived;
            arrived = null;
            if (buf != null) {
                buf.release();
            }
        }
    }
}
