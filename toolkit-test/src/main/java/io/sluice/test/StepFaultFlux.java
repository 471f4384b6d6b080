package io.sluice.test;

import io.netty.util.ReferenceCounted;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Passes a number of elements, then cancels its source and completes or errors its subscriber. Elements the source
 * emits after that are released (the source handed them over; nobody else will).
 */
final class StepFaultFlux<T> extends Flux<T> {

    private final Flux<T> source;
    private final long limit;
    private final Throwable error;

    StepFaultFlux(Flux<T> source, long limit, Throwable error) {
        this.source = source;
        this.limit = limit;
        this.error = error;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        source.subscribe(new FaultSubscriber<>(actual, limit, error));
    }

    static final class FaultSubscriber<T> implements CoreSubscriber<T>, Subscription {
        private final CoreSubscriber<? super T> actual;
        private final long limit;
        private final Throwable error;
        private Subscription upstream;
        private long seen;
        private boolean done;

        FaultSubscriber(CoreSubscriber<? super T> actual, long limit, Throwable error) {
            this.actual = actual;
            this.limit = limit;
            this.error = error;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
                if (limit == 0) {
                    trip();
                }
            }
        }

        @Override
        public void onNext(T t) {
            if (done) {
                release(t);
                return;
            }
            seen++;
            actual.onNext(t);
            if (seen == limit) {
                trip();
            }
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            done = true;
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            upstream.cancel();
        }

        private void trip() {
            if (done) {
                return;
            }
            done = true;
            upstream.cancel();
            if (error != null) {
                actual.onError(error);
            } else {
                actual.onComplete();
            }
        }

        private static void release(Object value) {
            if (value instanceof ReferenceCounted rc && rc.refCnt() > 0) {
                rc.release();
            }
        }
    }
}
