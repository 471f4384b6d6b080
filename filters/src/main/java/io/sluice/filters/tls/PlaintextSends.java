package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BufferDiscard;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The upper connection's sends, one after another in the order they were subscribed: the source of the plaintext
 * the driver encrypts.
 *
 * <p>A send's data is subscribed when its turn comes (after the handshake), and asked for one buffer at a time,
 * only when the driver can encrypt it (the lower connection wants more). Each buffer becomes the driver's when it
 * arrives. A send completes once its data has completed and its last buffer has been encrypted and handed to the
 * lower connection; it fails with its data's error, or when the connection fails or closes first (the data is
 * then cancelled, even if its turn had not come, so that what it holds is discarded). A send the caller cancels
 * stops its data and releases what arrived.
 *
 * <p>Signals may come on any thread: they are queued and the driver is woken. Everything else runs in the driver's
 * drain loop.
 */
final class PlaintextSends {

    private static final AtomicIntegerFieldUpdater<PlaintextSends> SUBSCRIBING =
            AtomicIntegerFieldUpdater.newUpdater(PlaintextSends.class, "subscribing");

    private final TlsEngineDriver driver;
    private final Arrivals<Job> subscribed = new Arrivals<>();
    /**
     * Sends between their check of {@link #refusal} and their push (or their own abandoning): while any is, a failed
     * connection waits before closing the lower one, so that their data is released before its budget is checked.
     */
    private volatile int subscribing;
    /** Set once: sends subscribed from then on fail at once with it. */
    private volatile Throwable refusal;

    // Owned by the drain loop.
    private Job current;
    /** Sends taken from {@link #subscribed}, oldest first, whose turn has not come. */
    private Arrivals.Node<Job> next;

    PlaintextSends(TlsEngineDriver driver) {
        this.driver = driver;
    }

    Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return new Mono<>() {
            @Override
            public void subscribe(CoreSubscriber<? super Void> actual) {
                Job job = new Job(data, actual);
                actual.onSubscribe(job);
                SUBSCRIBING.incrementAndGet(PlaintextSends.this);
                try {
                    Throwable refused = refusal;
                    if (refused != null) {
                        job.abandon(refused);
                    } else {
                        subscribed.push(job);
                    }
                } finally {
                    SUBSCRIBING.decrementAndGet(PlaintextSends.this);
                }
                driver.drain();
            }
        };
    }

    /** Sends subscribed from now on fail with {@code error}; those already queued still run. */
    void refuseNew(Throwable error) {
        if (refusal == null) {
            refusal = error;
        }
    }

    /**
     * The next plaintext buffer, or null. Finishes sends whose data is done, starts the next one, and, if
     * {@code mayRequest}, asks the current one for a buffer.
     */
    ByteBuf poll(boolean mayRequest) {
        for (;;) {
            Job job = current;
            if (job == null) {
                job = nextJob();
                if (job == null) {
                    return null;
                }
                current = job;
                job.start();
            }
            if (job.cancelled) {
                job.abandon(null);
                current = null;
                continue;
            }
            boolean done = job.done; // read first: every buffer that came before the end is then taken below
            ByteBuf plain = job.nextBuffer();
            if (plain != null) {
                job.awaiting = false;
                return plain;
            }
            if (done) {
                job.finish();
                current = null;
                continue;
            }
            if (mayRequest && !job.awaiting && job.subscription != null) {
                job.awaiting = true;
                job.subscription.request(1);
                continue;
            }
            return null;
        }
    }

    /**
     * No send is being subscribed at this moment: after {@link #failAll}, every send subscribed before it has been
     * failed and its data released, and any later one finds the refusal. The lower connection closes only then.
     */
    boolean settled() {
        return subscribing == 0;
    }

    /** No send is running or queued. */
    boolean idle() {
        return current == null && next == null && subscribed.isEmpty();
    }

    private Job nextJob() {
        if (next == null) {
            next = subscribed.takeAll();
            if (next == null) {
                return null;
            }
        }
        Job job = next.item;
        next = next.next;
        return job;
    }

    /** Fails the running and the queued sends (and any subscribed later) with {@code error}. */
    void failAll(Throwable error) {
        refuseNew(error);
        if (current != null) {
            current.abandon(error);
            current = null;
        }
        Job job;
        while ((job = nextJob()) != null) {
            job.abandon(error);
        }
    }

    /** One call of {@code send}: subscriber of its data, subscription of the caller's {@code Mono<Void>}. */
    private final class Job implements CoreSubscriber<ByteBuf>, Subscription {
        final Publisher<? extends ByteBuf> source;
        final CoreSubscriber<? super Void> actual;
        final Context context;
        final Arrivals<ByteBuf> inbox = new Arrivals<>();
        /** Buffers taken from {@link #inbox}, oldest first, not yet encrypted. Drain loop only. */
        Arrivals.Node<ByteBuf> taken;
        volatile Subscription subscription;
        volatile boolean done;
        volatile Throwable error;
        volatile boolean cancelled;
        /** A buffer was requested and has not arrived. Drain loop only. */
        boolean awaiting;
        /** The data has been subscribed to. Drain loop only (or before the job was queued). */
        boolean started;
        /** The caller has had its signal. Drain loop only (or before the job was queued). */
        boolean signalled;

        Job(Publisher<? extends ByteBuf> source, CoreSubscriber<? super Void> actual) {
            this.source = source;
            this.actual = actual;
            this.context = BufferDiscard.enable(actual.currentContext());
        }

        @Override
        public Context currentContext() {
            return context;
        }

        void start() {
            started = true;
            source.subscribe(this);
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(subscription, s)) {
                subscription = s;
                if (cancelled) {
                    s.cancel();
                }
                driver.drain();
            }
        }

        @Override
        public void onNext(ByteBuf buf) {
            if (cancelled || done) {
                buf.release();
                return;
            }
            inbox.push(buf);
            if (cancelled) {
                release(inbox.takeAll());
            }
            driver.drain();
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, context);
                return;
            }
            error = t;
            done = true;
            driver.drain();
        }

        @Override
        public void onComplete() {
            done = true;
            driver.drain();
        }

        /** The caller cancelled its {@code Mono<Void>}. */
        @Override
        public void cancel() {
            cancelled = true;
            driver.drain();
        }

        @Override
        public void request(long n) {
            // Mono<Void>: nothing to deliver but the end.
        }

        /** The next buffer the data gave, or null. Drain loop only. */
        ByteBuf nextBuffer() {
            if (taken == null) {
                taken = inbox.takeAll();
                if (taken == null) {
                    return null;
                }
            }
            ByteBuf buf = taken.item;
            taken = taken.next;
            return buf;
        }

        /** Everything the data gave was encrypted: the data's own end. */
        void finish() {
            if (signalled) {
                return;
            }
            signalled = true;
            Throwable e = error;
            if (e != null) {
                actual.onError(e);
            } else {
                actual.onComplete();
            }
        }

        /**
         * Gives up: stops the data, releases what it gave, tells the caller (unless it cancelled). Data never
         * subscribed to is subscribed and cancelled at once, so that a publisher holding buffers (a
         * {@code Mono.just}, a {@code Flux.fromIterable}) discards them through the buffer discard hook instead of
         * leaking them when, say, the handshake fails before the send's turn came.
         */
        void abandon(Throwable failure) {
            cancelled = true;
            if (!started) {
                started = true;
                source.subscribe(this); // onSubscribe cancels at once
            }
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            release(taken);
            taken = null;
            release(inbox.takeAll());
            if (!signalled) {
                signalled = true;
                if (failure != null) {
                    actual.onError(failure);
                }
            }
        }

        private static void release(Arrivals.Node<ByteBuf> chain) {
            for (Arrivals.Node<ByteBuf> node = chain; node != null; node = node.next) {
                node.item.release();
            }
        }
    }
}
