package io.sluice.filters.tls;

import io.sluice.api.BufferDiscard;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * Subscribes to a {@code Mono<Void>} of the lower connection and tells the driver how it ended: the {@code send} of
 * the record stream (it completes once the last record, a close_notify or an alert, was handed over, and fails when
 * the lower connection closed first), and {@code onClose()}. One small object per use, held for the connection's
 * life: a lambda subscriber would hold three.
 */
final class EndWatcher implements CoreSubscriber<Void> {

    private static final Context CONTEXT = BufferDiscard.enable(Context.empty());

    /** What the driver learns: null when the source completed. */
    interface Listener {
        void ended(Throwable error);
    }

    private final Listener listener;

    EndWatcher(Listener listener) {
        this.listener = listener;
    }

    @Override
    public Context currentContext() {
        return CONTEXT;
    }

    @Override
    public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Void unused) {
    }

    @Override
    public void onError(Throwable t) {
        listener.ended(t);
    }

    @Override
    public void onComplete() {
        listener.ended(null);
    }
}
