package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Operators;

/**
 * The one outbound stream the driver hands to the lower connection's {@code send}: handshake messages, alerts,
 * application data and {@code close_notify}, as encrypted records, in the order the engine produced them.
 *
 * <p>Records are emitted as the lower connection asks for them; the driver encrypts application data only when
 * the lower connection has asked for more and nothing is queued, so at most one buffer of application records
 * waits here, plus the few control records the engine produced meanwhile. Ownership of each record passes to the
 * lower connection when emitted; records still queued are released on cancel (at once, on the cancelling thread)
 * and by {@link #dispose()}.
 *
 * <p>Requests and cancellation may come on any thread: they are counted and the driver is woken. Everything else
 * runs in the driver's drain loop. The queue exists only while records wait: an idle connection keeps none.
 */
final class RecordStream implements Publisher<ByteBuf>, Subscription {

    private static final AtomicLongFieldUpdater<RecordStream> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(RecordStream.class, "requested");
    private static final AtomicIntegerFieldUpdater<RecordStream> SUBSCRIBED =
            AtomicIntegerFieldUpdater.newUpdater(RecordStream.class, "subscribed");

    private final TlsEngineDriver driver;
    private volatile int subscribed;
    private volatile Subscriber<? super ByteBuf> actual;
    private volatile long requested;
    private volatile boolean cancelled;

    /**
     * Offered and emitted by the drain loop, which makes it when a record comes and drops it once empty; also
     * released by a cancel, on the cancelling thread. Null while nothing waits.
     */
    private volatile Queue<ByteBuf> queue;

    // Owned by the drain loop.
    private boolean completing;
    private boolean completed;

    RecordStream(TlsEngineDriver driver) {
        this.driver = driver;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuf> s) {
        if (!SUBSCRIBED.compareAndSet(this, 0, 1)) {
            Operators.error(s, new IllegalStateException("the TLS record stream allows one subscriber"));
            return;
        }
        s.onSubscribe(this);
        actual = s;
        driver.drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            driver.drain();
        }
    }

    /** Releases what is queued at once, on the calling thread: the lower connection may be checking its budget. */
    @Override
    public void cancel() {
        cancelled = true;
        releaseQueue();
        driver.recordsRefused();
    }

    /** The lower connection gave up on the stream (its send was cancelled, or it closed). */
    boolean cancelled() {
        return cancelled;
    }

    /** True when the lower connection wants more and nothing is queued: time to encrypt application data. */
    boolean wantsData() {
        return actual != null && !cancelled && !completing && requested > 0 && queue == null;
    }

    void offer(ByteBuf records) {
        if (cancelled || completing) {
            records.release();
            return;
        }
        Queue<ByteBuf> q = queue;
        if (q == null) {
            q = new ConcurrentLinkedQueue<>();
            queue = q;
        }
        q.add(records.touch(this));
        if (cancelled) {
            releaseQueue();
        }
    }

    /** Emits what is queued, as far as the lower connection has asked; then completes, once asked to. */
    void flush() {
        if (cancelled) {
            dispose();
            return;
        }
        Subscriber<? super ByteBuf> a = actual;
        if (a == null) {
            return;
        }
        Queue<ByteBuf> q = queue;
        if (q != null) {
            emit(a, q);
        }
        if (cancelled) {
            dispose();
        } else if (completing && queue == null && !completed) {
            completed = true;
            a.onComplete();
        }
    }

    private void emit(Subscriber<? super ByteBuf> a, Queue<ByteBuf> q) {
        long r = requested;
        long emitted = 0;
        while (emitted != r && !cancelled) {
            ByteBuf next = q.poll();
            if (next == null) {
                break;
            }
            a.onNext(next);
            emitted++;
        }
        if (emitted != 0 && r != Long.MAX_VALUE) {
            REQUESTED.addAndGet(this, -emitted);
        }
        if (q.isEmpty()) {
            queue = null; // only the drain loop offers: nothing can be added to it meanwhile
        }
    }

    /** No more records will be offered: completes once the queued ones are emitted. */
    void complete() {
        completing = true;
        flush();
    }

    /** Releases what is queued; nothing more will be emitted. */
    void dispose() {
        completing = true;
        completed = true;
        releaseQueue();
    }

    private void releaseQueue() {
        Queue<ByteBuf> q = queue;
        if (q == null) {
            return;
        }
        ByteBuf b;
        while ((b = q.poll()) != null) {
            b.release();
        }
    }

    @Override
    public String toString() {
        return "sluice: TLS records queued by " + driver;
    }
}
