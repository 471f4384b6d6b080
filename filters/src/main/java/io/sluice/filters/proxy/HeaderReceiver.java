package io.sluice.filters.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.BufferDiscard;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * The inbound side of the server filter: subscribed to the lower connection's stream as soon as the filter is
 * applied, it reads the header whether or not the application reads yet (one buffer at a time, never more than the
 * longest header could take), then passes every following byte on, as the application asks for it.
 *
 * <p>Ownership: every buffer from the lower connection becomes this receiver's. Header bytes split over several reads
 * are copied into one cumulation from the connection's allocator (at most the longest header), and released once
 * parsed; the buffer in which the header ends is passed on with its reader index past the header, not copied. Every
 * emitted buffer is the subscriber's. On a refusal, on the subscriber's cancellation once the header is decided, on
 * the lower stream's end or error, and when the lower connection closes with no subscriber, everything held is
 * released, and nothing is emitted afterwards.
 *
 * <p>States: {@link State#HEADER} reads until the parser decides (a header, no header, or a refusal; a timeout or the
 * end of the lower stream decides too); {@link State#PASSING} emits what followed the header, then the lower stream
 * one buffer per request; {@link State#ENDED} has released everything and waits for a subscriber to tell the end;
 * {@link State#FINISHED} has told it, or was cancelled. All of it runs in one drain loop, entered by one thread at a
 * time; a subscriber's cancellation while the header is still being read is acted on once it is decided, so that the
 * header is always checked before anything is written or believed.
 */
final class HeaderReceiver implements CoreSubscriber<ByteBuf>, Subscription {

    /** What the owning connection does when the header is decided. Called on the drain loop, once, before any emit. */
    interface Decision {
        /** A header, or {@link ParsedHeader#ABSENT} where none is required. */
        void accepted(ParsedHeader parsed);

        /** @param quiet the peer sent nothing at all before closing: a probe, not worth a warning */
        void refused(ProxyProtocolException e, boolean quiet);
    }

    enum State { HEADER, PASSING, ENDED, FINISHED }

    private static final AtomicIntegerFieldUpdater<HeaderReceiver> WIP =
            AtomicIntegerFieldUpdater.newUpdater(HeaderReceiver.class, "wip");
    private static final AtomicLongFieldUpdater<HeaderReceiver> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(HeaderReceiver.class, "requested");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<HeaderReceiver, CoreSubscriber> ACTUAL =
            AtomicReferenceFieldUpdater.newUpdater(HeaderReceiver.class, CoreSubscriber.class, "actual");

    private static final Context DISCARDING = BufferDiscard.enable(Context.empty());

    private final HeaderParser parser;
    private final ByteBufAllocator alloc;
    private final Decision decision;
    private final String timeoutText;
    private final Queue<ByteBuf> inbox = Queues.<ByteBuf>unbounded(Queues.XS_BUFFER_SIZE).get();

    private volatile CoreSubscriber<? super ByteBuf> actual;
    private volatile Subscription upstream;
    private volatile int wip;
    private volatile long requested;
    private volatile boolean done;
    private volatile Throwable sourceError;
    private volatile boolean cancelled;
    private volatile boolean timedOut;
    private volatile boolean lowerClosed;

    // Owned by the drain loop.
    private State state = State.HEADER;
    private ByteBuf cumulation;
    private final ArrayDeque<ByteBuf> ready = new ArrayDeque<>(2);
    private boolean awaitingInput;
    private Throwable end;

    /** @param timeoutText how the timeout is named in the refusal, such as {@code 5s} */
    HeaderReceiver(HeaderParser parser, ByteBufAllocator alloc, Decision decision, String timeoutText) {
        this.parser = parser;
        this.alloc = alloc;
        this.decision = decision;
        this.timeoutText = timeoutText;
    }

    /** The application's subscription to the upper connection's inbound stream; one only. */
    void subscribeDownstream(CoreSubscriber<? super ByteBuf> subscriber) {
        if (!ACTUAL.compareAndSet(this, null, subscriber)) {
            Operators.error(subscriber, new IllegalStateException("receive() allows a single subscriber"));
            return;
        }
        subscriber.onSubscribe(this);
        drain();
    }

    /** The header timeout fired: any thread. */
    void timeout() {
        timedOut = true;
        drain();
    }

    /**
     * The connection is closing or closed: what no subscriber came for is released, and a header still awaited is
     * refused. Any thread.
     */
    void closing() {
        lowerClosed = true;
        drain();
    }

    /**
     * The lower stream is subscribed before the application is: operators below that drop a buffer release it
     * through Sluice's discard hook.
     */
    @Override
    public Context currentContext() {
        return DISCARDING;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(upstream, s)) {
            upstream = s;
            drain();
        }
    }

    @Override
    public void onNext(ByteBuf buf) {
        inbox.offer(buf);
        drain();
    }

    @Override
    public void onError(Throwable t) {
        sourceError = t;
        done = true;
        drain();
    }

    @Override
    public void onComplete() {
        done = true;
        drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            drain();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        drain();
    }

    private void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            try {
                drainLoop();
            } catch (RuntimeException e) {
                fail(e);
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainLoop() {
        if (upstream == null) {
            return;
        }
        if (state == State.HEADER) {
            readHeader();
        }
        if (state == State.PASSING) {
            pass();
        }
        if (state == State.ENDED) {
            releaseAll();
            CoreSubscriber<? super ByteBuf> a = actual;
            if (cancelled) {
                state = State.FINISHED;
            } else if (a != null) {
                state = State.FINISHED;
                if (end != null) {
                    a.onError(end);
                } else {
                    a.onComplete();
                }
            }
        }
        if (state == State.FINISHED) {
            releaseAll();
        }
    }

    private void readHeader() {
        ProxyProtocolException atOnce = parser.refusedAtOnce();
        if (atOnce != null) {
            refuse(atOnce, false);
            return;
        }
        for (;;) {
            ByteBuf in = inbox.poll();
            if (in != null) {
                awaitingInput = false;
                if (!take(in)) {
                    return;
                }
                if (state != State.HEADER) {
                    return;
                }
                continue;
            }
            if (done || timedOut || lowerClosed) {
                decideWithoutMore();
                return;
            }
            if (!awaitingInput) {
                awaitingInput = true;
                upstream.request(1);
                continue;
            }
            return;
        }
    }

    /** Adds {@code in} to what the header is read from and tries to decide; false once refused. */
    private boolean take(ByteBuf in) {
        ByteBuf cum = cumulation;
        int before = cum == null ? 0 : cum.readableBytes();
        ByteBuf parsedFrom = in;
        if (cum != null) {
            int copied = Math.min(in.readableBytes(), parser.maxLength() - before);
            if (cum.writableBytes() < copied) {
                ByteBuf grown = alloc.buffer(before + copied, parser.maxLength());
                grown.writeBytes(cum);
                cum.release();
                cum = grown;
                cumulation = grown;
            }
            cum.writeBytes(in, in.readerIndex(), copied);
            parsedFrom = cum;
        }
        ParsedHeader parsed;
        try {
            parsed = parser.parse(parsedFrom);
        } catch (ProxyProtocolException e) {
            in.release();
            refuse(e, false);
            return false;
        } catch (RuntimeException e) {
            in.release();
            throw e;
        }
        if (parsed == null) {
            if (parsedFrom.readableBytes() >= parser.maxLength()) {
                in.release();
                throw new IllegalStateException("the parser left " + parsedFrom.readableBytes() + " bytes undecided");
            }
            if (cum == null) {
                ByteBuf copy = alloc.buffer(in.readableBytes(), parser.maxLength());
                copy.writeBytes(in);
                cumulation = copy;
            }
            in.release();
            return true;
        }
        if (cum != null) {
            cumulation = null;
            if (parsed.absent()) {
                cum.writerIndex(cum.readerIndex() + before); // the bytes of in stay in in
                ready.add(cum);
            } else {
                cum.release();
                in.skipBytes(parsed.length() - before);
            }
        } else if (!parsed.absent()) {
            in.skipBytes(parsed.length());
        }
        if (in.isReadable()) {
            ready.add(in);
        } else {
            in.release();
        }
        accept(parsed);
        return true;
    }

    /** The lower stream ended, the connection closed or the timer fired before the bytes decided. */
    private void decideWithoutMore() {
        ByteBuf cum = cumulation;
        int held = cum == null ? 0 : cum.readableBytes();
        Throwable error = sourceError;
        if (error != null) {
            fail(error);
            return;
        }
        if (!parser.required() && !parser.signatureSeen(cum)) {
            if (cum != null) {
                cumulation = null;
                ready.add(cum);
            }
            accept(ParsedHeader.ABSENT);
            return;
        }
        String what = timedOut && !done && !lowerClosed
                ? "no complete PROXY protocol header within " + timeoutText
                : "the connection ended before a complete PROXY protocol header";
        refuse(new ProxyProtocolException(what + " (" + held + " byte(s) received)"), held == 0 && !timedOut);
    }

    private void accept(ParsedHeader parsed) {
        state = State.PASSING;
        decision.accepted(parsed);
    }

    private void refuse(ProxyProtocolException e, boolean quiet) {
        upstream.cancel();
        state = State.ENDED;
        end = e;
        releaseAll();
        decision.refused(e, quiet);
    }

    /** A failure below (a reset) or of this receiver: passed on at once, what is held dropped. */
    private void fail(Throwable e) {
        if (state == State.FINISHED || state == State.ENDED) {
            Operators.onErrorDropped(e, currentContext());
            return;
        }
        boolean undecided = state == State.HEADER;
        upstream.cancel();
        state = State.ENDED;
        end = e;
        releaseAll();
        if (undecided) {
            ProxyProtocolException refusal = new ProxyProtocolException(
                    "the connection failed before a complete PROXY protocol header: " + e);
            refusal.initCause(e);
            decision.refused(refusal, true);
        }
    }

    private void pass() {
        if (cancelled) {
            upstream.cancel();
            state = State.FINISHED;
            return;
        }
        Throwable error = sourceError;
        if (error != null) {
            fail(error);
            return;
        }
        CoreSubscriber<? super ByteBuf> a = actual;
        if (a == null) {
            if (lowerClosed) {
                state = State.ENDED; // nobody came for the bytes: released below
            }
            return;
        }
        long r = requested;
        long emitted = 0;
        for (;;) {
            if (cancelled) {
                upstream.cancel();
                state = State.FINISHED;
                break;
            }
            ByteBuf next = ready.poll();
            if (next == null) {
                next = inbox.poll();
                if (next != null) {
                    awaitingInput = false;
                }
            }
            if (next != null) {
                if (emitted == r) {
                    ready.addFirst(next);
                    break;
                }
                a.onNext(next);
                emitted++;
                continue;
            }
            if (done) {
                state = State.ENDED;
                break;
            }
            if (emitted != r && !awaitingInput) {
                awaitingInput = true;
                upstream.request(1);
                continue;
            }
            break;
        }
        if (emitted != 0 && r != Long.MAX_VALUE) {
            REQUESTED.addAndGet(this, -emitted);
        }
    }

    private void releaseAll() {
        ByteBuf cum = cumulation;
        if (cum != null) {
            cumulation = null;
            cum.release();
        }
        ByteBuf b;
        while ((b = ready.poll()) != null) {
            b.release();
        }
        while ((b = inbox.poll()) != null) {
            b.release();
        }
    }
}
