package io.sluice.filters.tls;

import io.sluice.api.BufferDiscard;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * Subscribes to the lower connection's {@code send} of the record stream and tells the driver how it ended: it
 * completes once the last record (a close_notify, an alert) was handed over, and fails when the lower connection
 * closed first.
 */
final class LowerSendWatcher implements CoreSubscriber<Void> {

    /** What the driver learns. */
    interface Listener {
        void lowerSendEnded(Throwable error);
    }

    private final Listener listener;
    private final Context context = BufferDiscard.enable(Context.empty());

    LowerSendWatcher(Listener listener) {
        this.listener = listener;
    }

    @Override
    public Context currentContext() {
        return context;
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
        listener.lowerSendEnded(t);
    }

    @Override
    public void onComplete() {
        listener.lowerSendEnded(null);
    }
}
