package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
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

    private final TlsEngineDriver driver;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile CoreSubscriber<? super ByteBuf> actual;
    private volatile long requested;
    private volatile boolean cancelled;

    // Owned by the drain loop.
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private boolean ended;
    private Throwable endError;
    private boolean signalled;

    PlaintextReceiver(TlsEngineDriver driver) {
        this.driver = driver;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> s) {
        if (!subscribed.compareAndSet(false, true)) {
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
        return actual != null && !cancelled && !ended && requested > 0 && waiting.isEmpty();
    }

    /** Hands decrypted data over: at once if asked for, else it waits. */
    void deliver(ByteBuf plain) {
        if (ended || cancelled) {
            plain.release();
            return;
        }
        waiting.add(plain.touch(this));
        flush();
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
        long r = requested;
        long emitted = 0;
        while (emitted != r && !waiting.isEmpty() && !cancelled) {
            a.onNext(waiting.poll());
            emitted++;
        }
        if (emitted != 0 && r != Long.MAX_VALUE) {
            REQUESTED.addAndGet(this, -emitted);
        }
        if (cancelled) {
            release();
        } else if (ended && waiting.isEmpty() && !signalled) {
            signalled = true;
            if (endError != null) {
                a.onError(endError);
            } else {
                a.onComplete();
            }
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
