package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * The upper connection's {@code receive()}: decrypted data for its single subscriber, as it asks.
 *
 * <p>The driver decrypts only while the subscriber has demand, so data normally goes straight out; the few bytes an
 * engine may decrypt unasked (data riding with the handshake's last message) wait here. Each emitted buffer is the
 * subscriber's. The end comes after the data before it when it is a {@code close_notify}; an error goes out at once
 * and releases what waits. A subscriber that comes after the end still learns it. Cancelling releases what waits;
 * the driver then stops reading.
 *
 * <p>Requests and cancellation may come on any thread: they are counted and the driver is woken. Everything else
 * runs in the driver's drain loop.
 */
final class PlaintextReceiver extends Flux<ByteBuf> implements Subscription {

    private static final AtomicLongFieldUpdater<PlaintextReceiver> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(PlaintextReceiver.class, "requested");
    private static final AtomicIntegerFieldUpdater<PlaintextReceiver> SUBSCRIBED =
            AtomicIntegerFieldUpdater.newUpdater(PlaintextReceiver.class, "subscribed");

    private final TlsEngineDriver driver;
    private volatile int subscribed;
    private volatile CoreSubscriber<? super ByteBuf> actual;
    private volatile long requested;
    private volatile boolean cancelled;

    // Owned by the drain loop.
    /** Data decrypted before it was asked for; made when some first waits (rare), null until then. */
    private ArrayDeque<ByteBuf> waiting;
    private boolean ended;
    private Throwable endError;
    private boolean signalled;

    PlaintextReceiver(TlsEngineDriver driver) {
        this.driver = driver;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> s) {
        if (!SUBSCRIBED.compareAndSet(this, 0, 1)) {
            Operators.error(s, new IllegalStateException(
                    "receive() of connection " + driver.id() + " allows only one subscriber"));
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

    @Override
    public void cancel() {
        cancelled = true;
        driver.drain();
    }

    boolean cancelled() {
        return cancelled;
    }

    /** True when the subscriber asks for data that nothing held can give: time to decrypt a record. */
    boolean wantsData() {
        return actual != null && !cancelled && !ended && requested > 0 && nothingWaits();
    }

    /** Hands decrypted data over: at once if asked for (and nothing waits before it), else it waits. */
    void deliver(ByteBuf plain) {
        if (ended || cancelled) {
            plain.release();
            return;
        }
        CoreSubscriber<? super ByteBuf> a = actual;
        long r = requested;
        if (a != null && r > 0 && nothingWaits()) {
            if (r != Long.MAX_VALUE) {
                REQUESTED.decrementAndGet(this);
            }
            a.onNext(plain.touch(this));
            return;
        }
        if (waiting == null) {
            waiting = new ArrayDeque<>(2);
        }
        waiting.add(plain.touch(this));
        flush();
    }

    private boolean nothingWaits() {
        return waiting == null || waiting.isEmpty();
    }

    /** Emits what waits as far as asked; then the end, if it has come. */
    void flush() {
        if (cancelled) {
            release();
            return;
        }
        CoreSubscriber<? super ByteBuf> a = actual;
        if (a == null) {
            return;
        }
        if (!nothingWaits()) {
            emit(a);
        }
        if (cancelled) {
            release();
        } else if (ended && nothingWaits() && !signalled) {
            signalled = true;
            if (endError != null) {
                a.onError(endError);
            } else {
                a.onComplete();
            }
        }
    }

    private void emit(CoreSubscriber<? super ByteBuf> a) {
        long r = requested;
        long emitted = 0;
        while (emitted != r && !waiting.isEmpty() && !cancelled) {
            a.onNext(waiting.poll());
            emitted++;
        }
        if (emitted != 0 && r != Long.MAX_VALUE) {
            REQUESTED.addAndGet(this, -emitted);
        }
    }

    /** The stream ends: normally (after what waits) with a null error, else at once with the error. */
    void end(Throwable error) {
        if (ended) {
            return;
        }
        ended = true;
        endError = error;
        if (error != null) {
            release();
        }
        flush();
    }

    boolean ended() {
        return ended;
    }

    /** The application closed the connection: what it has not read is dropped. */
    void discard() {
        release();
    }

    private void release() {
        if (waiting == null) {
            return;
        }
        ByteBuf b;
        while ((b = waiting.poll()) != null) {
            b.release();
        }
    }

    @Override
    public String toString() {
        return "sluice: TLS plaintext waiting in " + driver;
    }
}
