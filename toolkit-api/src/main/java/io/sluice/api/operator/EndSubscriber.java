package io.sluice.api.operator;

import io.sluice.api.BufferDiscard;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Subscribes to a publisher of no values (a {@code Mono<Void>}: a connection's {@code send} or {@code onClose()}, an
 * application's handler) and hears only how it ended, once; it can be cancelled, after which it hears nothing. One
 * small object per use, held for a connection's life, instead of a lambda subscriber and the objects Reactor makes
 * around one.
 *
 * <p>Its context carries the buffer discard hook ({@link BufferDiscard}), so an operator upstream that drops a buffer
 * releases it; a subclass that subscribes on behalf of another subscriber may give that one's context instead. No
 * buffers pass through this type.
 *
 * <p>Thread-safety: the publisher's signals and {@link #cancel()} may come from different threads; {@link #ended} is
 * called at most once, on the thread of the terminal signal, and not at all once {@link #cancel()} was called first.
 */
public abstract class EndSubscriber implements CoreSubscriber<Void> {

    private static final Context DISCARDING = BufferDiscard.enable(Context.empty());

    private volatile Subscription subscription;
    private volatile boolean cancelled;
    private volatile boolean terminated;

    /** An end subscriber that tells {@code listener} how the publisher ended: null when it completed. */
    public static EndSubscriber calling(Consumer<Throwable> listener) {
        return new EndSubscriber() {
            @Override
            protected void ended(Throwable error) {
                listener.accept(error);
            }
        };
    }

    /** How the publisher ended: null when it completed, else its error. Not called after {@link #cancel()}. */
    protected abstract void ended(Throwable error);

    @Override
    public Context currentContext() {
        return DISCARDING;
    }

    @Override
    public final void onSubscribe(Subscription s) {
        if (Operators.validate(subscription, s)) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }
    }

    @Override
    public final void onNext(Void unused) {
    }

    @Override
    public final void onError(Throwable t) {
        terminate(t);
    }

    @Override
    public final void onComplete() {
        terminate(null);
    }

    private void terminate(Throwable error) {
        terminated = true;
        subscription = null;
        if (!cancelled) {
            ended(error);
        }
    }

    /** Cancels the subscription (at once, or as soon as it arrives) unless the publisher already ended. */
    public final void cancel() {
        cancelled = true;
        Subscription s = subscription;
        if (s != null && !terminated) {
            subscription = null;
            s.cancel();
        }
    }

    /** Whether the publisher has ended (whether or not {@link #ended} was told, after a cancellation). */
    public final boolean hasEnded() {
        return terminated;
    }
}
