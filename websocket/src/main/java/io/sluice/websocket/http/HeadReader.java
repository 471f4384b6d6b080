package io.sluice.websocket.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;

/**
 * Reads one HTTP head off a connection's inbound stream, optionally a few bytes after it, and then hands the rest of
 * the stream, starting with whatever followed, to one subscriber: the inbound side of an upgraded connection.
 *
 * <p>It subscribes to {@code lower.receive()} once, in {@link #start}, and keeps that subscription for the life of
 * the connection: the head is read one requested buffer at a time, so no byte is requested beyond what the head
 * needs, and the bytes that arrived with the end of the head stay held until {@link #remainder()} is subscribed.
 * From then on, once those bytes are delivered, demand and signals pass straight between the subscriber and the
 * lower stream, with no buffering in between.
 *
 * <p>Ownership: the reader owns every buffer the lower stream emits until it hands it on. Bytes of the head are
 * merged into one cumulation, from {@code lower.budget().allocator()} when a merge is needed, and released once
 * parsed; {@link #take(int)} copies its bytes out. The held remainder passes to the subscriber of
 * {@link #remainder()}; it is released by {@link #dispose()}, when the subscriber cancels, when the head or a take
 * fails or is cancelled, and when the lower stream fails. The lower stream completing (the peer closed its side)
 * keeps it, so that bytes sent just before a close still reach a late subscriber: an owner that will never subscribe
 * must call {@link #dispose()}.
 *
 * <p>Threading: signals and calls may come from any thread; one drain loop (a work-in-progress counter) does the
 * work, so the head, take and remainder callbacks may start the next step from within themselves.
 */
public final class HeadReader<H> {

    private enum Mode { HEAD, IDLE, TAKE, RELAY, DIRECT, DONE }

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<HeadReader> WIP =
            AtomicIntegerFieldUpdater.newUpdater(HeadReader.class, "wip");
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<HeadReader> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(HeadReader.class, "requested");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<HeadReader, Mode> MODE =
            AtomicReferenceFieldUpdater.newUpdater(HeadReader.class, Mode.class, "mode");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<HeadReader, ByteBuf> HELD =
            AtomicReferenceFieldUpdater.newUpdater(HeadReader.class, ByteBuf.class, "held");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<HeadReader, ByteBuf> NEXT_IN =
            AtomicReferenceFieldUpdater.newUpdater(HeadReader.class, ByteBuf.class, "nextIn");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<HeadReader> CLAIMED =
            AtomicIntegerFieldUpdater.newUpdater(HeadReader.class, "remainderClaimed");

    private final ByteBufAllocator allocator;
    private final Upstream upstreamSubscriber = new Upstream();

    private volatile Subscription upstream;
    private volatile boolean upstreamDone;
    private volatile Throwable upstreamError;
    private volatile int wip;
    private volatile long requested;
    private volatile Mode mode = Mode.HEAD;
    private volatile boolean disposed;
    private volatile boolean remainderCancelled;
    private volatile MonoSink<H> headSink;
    private volatile MonoSink<byte[]> takeSink;
    private volatile int takeCount;
    private volatile CoreSubscriber<? super ByteBuf> remainder;
    private volatile int remainderClaimed;
    /**
     * The bytes after the head while no step runs. Kept outside the drain loop's state so that whoever claims them
     * first (a take, the remainder, a dispose) owns them at once, even from inside a callback of the drain loop: a
     * dispose there must release them before a close it triggers checks the budget.
     */
    private volatile ByteBuf held;
    /**
     * The buffer received and not yet merged into the cumulation: one source, one drain loop. One buffer is requested
     * at a time, so one slot is enough (the reader stays in an upgraded connection's inbound path for its whole
     * life, so a queue would stay too); a source that sends more than asked gets a queue from then on
     * ({@link #moreIn}), which keeps the order since the slot is never filled again once it exists.
     */
    private volatile ByteBuf nextIn;
    private volatile Queue<ByteBuf> moreIn;

    // Owned by the drain loop.
    /** Dropped once the head is read, with the header lists it built. */
    private HeadParser<H> parser;
    private ByteBuf cumulation;
    private long received;
    private boolean awaitingInput;
    private boolean upstreamCancelled;

    private HeadReader(HeadParser<H> parser, ByteBufAllocator allocator) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /** Subscribes to {@code lower.receive()}; nothing is requested until {@link #head()} is subscribed. */
    public static <H> HeadReader<H> start(Connection lower, HeadParser<H> parser) {
        HeadReader<H> reader = new HeadReader<>(parser, lower.budget().allocator());
        lower.receive().subscribe(reader.upstreamSubscriber);
        return reader;
    }

    /**
     * The head, once read: errors with {@link HttpHeadException} when the parser refuses the bytes (everything held
     * is released first), {@link IncompleteHeadException} when the stream ends before the head, or the lower stream's
     * own error. Cancelling it disposes the reader. Subscribe once.
     */
    public Mono<H> head() {
        return Mono.create(sink -> {
            if (headSink != null || mode != Mode.HEAD) {
                sink.error(new IllegalStateException("head() may be subscribed only once"));
                return;
            }
            sink.onCancel(() -> {
                headSink = null; // a cancelled sink is not told the reader's end
                dispose();
            });
            headSink = sink;
            drain();
        });
    }

    /**
     * The {@code count} bytes that follow the head (or the previous take), copied out: a request body of a known
     * small size, such as Hixie-76's 8-byte challenge. Errors as {@link #head()} does; cancelling it disposes.
     */
    public Mono<byte[]> take(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        return Mono.create(sink -> {
            sink.onCancel(() -> {
                takeSink = null;
                dispose();
            });
            takeCount = count;
            takeSink = sink;
            if (!MODE.compareAndSet(this, Mode.IDLE, Mode.TAKE)) {
                takeSink = null;
                sink.error(new IllegalStateException("take() needs the head read and no take or remainder running"));
                return;
            }
            drain();
        });
    }

    /**
     * The rest of the inbound stream: first the bytes held after the head (if any), then what the lower stream emits,
     * with its completion or error. One subscriber, after the head was read; the subscriber owns what it receives.
     */
    public Flux<ByteBuf> remainder() {
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
                attach(actual);
            }
        };
    }

    /**
     * Releases what is held and cancels the lower stream, unless {@link #remainder()} was subscribed, whose
     * subscriber then owns the stream. A pending {@link #head()} or {@link #take(int)} fails. Idempotent.
     */
    public void dispose() {
        disposed = true;
        ByteBuf h = HELD.getAndSet(this, null);
        if (h != null) {
            h.release();
        }
        drain();
    }

    private void attach(CoreSubscriber<? super ByteBuf> actual) {
        if (!CLAIMED.compareAndSet(this, 0, 1)) {
            Operators.error(actual, new IllegalStateException("remainder() allows only one subscriber"));
            return;
        }
        remainder = actual;
        actual.onSubscribe(new RemainderSubscription());
        if (!MODE.compareAndSet(this, Mode.IDLE, Mode.RELAY)) {
            actual.onError(new IllegalStateException(
                    "remainder() must be subscribed after the head was read and before the reader was disposed"));
            return;
        }
        drain();
    }

    private void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            drainLoop();
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainLoop() {
        for (;;) {
            Mode m = mode;
            if (m == Mode.DONE) {
                releaseHeld();
                cancelUpstream(); // harmless after the stream ended; needed if it subscribed after a dispose
                return;
            }
            if (disposed && m != Mode.RELAY && m != Mode.DIRECT) {
                if (MODE.compareAndSet(this, m, Mode.DONE)) {
                    fail(new IllegalStateException("the head reader was disposed"));
                }
                continue;
            }
            if (m == Mode.DIRECT) {
                direct();
                return;
            }
            if (m == Mode.RELAY) {
                if (!relay()) {
                    return;
                }
                continue;
            }
            ByteBuf in;
            while ((in = pollIn()) != null) {
                awaitingInput = false;
                cumulate(in);
            }
            if (m == Mode.IDLE) {
                unpark();
                park();
                if (upstreamError != null) {
                    releaseHeld(); // a failed stream delivers no more bytes: only its error, to a late subscriber
                }
                return;
            }
            if (!(m == Mode.HEAD ? stepHead() : stepTake())) {
                return;
            }
        }
    }

    /** One step of reading the head; true to loop again. */
    private boolean stepHead() {
        MonoSink<H> sink = headSink;
        if (sink == null) {
            return false;
        }
        H head;
        try {
            head = cumulation == null ? null : parser.parse(cumulation);
        } catch (HttpHeadException | RuntimeException e) {
            finish(e);
            return false;
        }
        if (head != null) {
            parser = null;
            park();
            headSink = null;
            mode = Mode.IDLE;
            sink.success(head);
            return true;
        }
        return awaitMore("the connection closed before the head was complete");
    }

    /** One step of a take; true to loop again. */
    private boolean stepTake() {
        int count = takeCount;
        unpark();
        ByteBuf cum = cumulation;
        if (cum != null && cum.readableBytes() >= count) {
            byte[] bytes = new byte[count];
            cum.readBytes(bytes);
            park();
            MonoSink<byte[]> sink = takeSink;
            takeSink = null;
            mode = Mode.IDLE;
            if (sink != null) {
                sink.success(bytes);
            }
            return true;
        }
        return awaitMore("the connection closed before the " + count + " bytes after the head arrived");
    }

    /** Fails on the end of the lower stream, or requests one more buffer; true to loop again. */
    private boolean awaitMore(String incomplete) {
        Throwable error = upstreamError;
        if (error != null) {
            finish(error);
            return false;
        }
        if (upstreamDone) {
            finish(new IncompleteHeadException(incomplete, received));
            return false;
        }
        Subscription s = upstream;
        if (!awaitingInput && s != null) {
            awaitingInput = true;
            s.request(1);
            return true;
        }
        return false;
    }

    /** Delivers the held bytes, then switches to direct passing; true to loop again. */
    private boolean relay() {
        CoreSubscriber<? super ByteBuf> actual = remainder;
        if (remainderCancelled) {
            mode = Mode.DONE;
            cancelUpstream();
            return true;
        }
        unpark();
        ByteBuf in;
        while ((in = pollIn()) != null) {
            cumulate(in); // only a source that sent more than was requested gets here
        }
        dropEmptyCumulation();
        ByteBuf held = cumulation;
        if (held != null) {
            long r = requested;
            if (r == 0) {
                return false;
            }
            if (r != Long.MAX_VALUE) {
                REQUESTED.decrementAndGet(this);
            }
            cumulation = null;
            actual.onNext(held);
            return true;
        }
        Throwable error = upstreamError;
        if (error != null || upstreamDone) {
            mode = Mode.DONE;
            terminate(actual, error);
            return true;
        }
        mode = Mode.DIRECT;
        return true;
    }

    /** In direct mode the drain loop only forwards demand that was recorded before the switch, and late ends. */
    private void direct() {
        long r = REQUESTED.getAndSet(this, 0);
        if (r > 0) {
            upstream.request(r);
        }
        Throwable error = upstreamError;
        if (error != null || upstreamDone) {
            mode = Mode.DONE;
            if (!remainderCancelled) {
                terminate(remainder, error);
            }
        }
    }

    private static void terminate(CoreSubscriber<? super ByteBuf> actual, Throwable error) {
        if (error != null) {
            actual.onError(error);
        } else {
            actual.onComplete();
        }
    }

    /** Ends a head or take that cannot succeed. */
    private void finish(Throwable failure) {
        mode = Mode.DONE;
        fail(failure);
    }

    /** Releases everything and cancels the lower stream, then fails the pending head or take, if any. */
    private void fail(Throwable failure) {
        releaseHeld();
        cancelUpstream();
        MonoSink<H> hs = headSink;
        MonoSink<byte[]> ts = takeSink;
        headSink = null;
        takeSink = null;
        if (ts != null) {
            ts.error(failure);
        } else if (hs != null) {
            hs.error(failure);
        }
    }

    /** Moves the bytes after the head (or a take) where any thread can claim them. */
    private void park() {
        dropEmptyCumulation();
        ByteBuf cum = cumulation;
        cumulation = null;
        if (cum != null && !HELD.compareAndSet(this, null, cum)) {
            cum.release(); // cannot happen: only the drain loop parks, and only when nothing is held
        }
    }

    /** Takes back the parked bytes, if a dispose did not release them first. */
    private void unpark() {
        ByteBuf h = HELD.getAndSet(this, null);
        if (h != null) {
            if (cumulation == null) {
                cumulation = h;
            } else {
                ByteBuf in = cumulation;
                cumulation = h;
                cumulate(in);
            }
        }
    }

    private void dropEmptyCumulation() {
        ByteBuf cum = cumulation;
        if (cum != null && !cum.isReadable()) {
            cumulation = null;
            cum.release();
        }
    }

    private void cumulate(ByteBuf in) {
        received += in.readableBytes();
        if (!in.isReadable()) {
            in.release();
            return;
        }
        ByteBuf cum = cumulation;
        if (cum == null) {
            cumulation = in;
            return;
        }
        try {
            int needed = in.readableBytes();
            if (cum.refCnt() == 1 && !cum.isReadOnly()) {
                cum.discardSomeReadBytes();
                if (cum.maxWritableBytes() >= needed) {
                    cum.writeBytes(in);
                    return;
                }
            }
            ByteBuf merged = allocator.buffer(cum.readableBytes() + needed);
            merged.writeBytes(cum).writeBytes(in);
            cumulation = merged;
            cum.release();
        } finally {
            in.release();
        }
    }

    /** From the lower stream only: its signals are serial. */
    private void offerIn(ByteBuf buf) {
        Queue<ByteBuf> more = moreIn;
        if (more == null && !NEXT_IN.compareAndSet(this, null, buf)) {
            more = moreIn = Queues.<ByteBuf>unbounded(8).get();
        }
        if (more != null) {
            more.offer(buf);
        }
    }

    /** The next buffer received, or null; from the drain loop. */
    private ByteBuf pollIn() {
        ByteBuf in = nextIn == null ? null : NEXT_IN.getAndSet(this, null);
        if (in == null) {
            Queue<ByteBuf> more = moreIn;
            if (more != null) {
                in = more.poll();
            }
        }
        return in;
    }

    private void cancelUpstream() {
        Subscription s = upstream;
        if (s != null && !upstreamCancelled) {
            upstreamCancelled = true;
            s.cancel();
        }
    }

    private void releaseHeld() {
        ByteBuf h = HELD.getAndSet(this, null);
        if (h != null) {
            h.release();
        }
        ByteBuf cum = cumulation;
        if (cum != null) {
            cumulation = null;
            cum.release();
        }
        ByteBuf in;
        while ((in = pollIn()) != null) {
            in.release();
        }
    }

    /** The reader's subscription to the lower stream. */
    private final class Upstream implements CoreSubscriber<ByteBuf> {

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                drain(); // a dispose that came first cancels it now; a head already waiting requests
            }
        }

        @Override
        public void onNext(ByteBuf buf) {
            if (mode == Mode.DIRECT) {
                if (remainderCancelled) {
                    buf.release();
                } else {
                    remainder.onNext(buf);
                }
                return;
            }
            offerIn(buf);
            drain();
        }

        @Override
        public void onError(Throwable t) {
            if (mode == Mode.DIRECT) {
                mode = Mode.DONE;
                if (!remainderCancelled) {
                    remainder.onError(t);
                }
                return;
            }
            upstreamError = t;
            drain();
        }

        @Override
        public void onComplete() {
            if (mode == Mode.DIRECT) {
                mode = Mode.DONE;
                if (!remainderCancelled) {
                    remainder.onComplete();
                }
                return;
            }
            upstreamDone = true;
            drain();
        }
    }

    /** The remainder subscriber's handle. */
    private final class RemainderSubscription implements Subscription {

        @Override
        public void request(long n) {
            if (!Operators.validate(n)) {
                return;
            }
            if (mode == Mode.DIRECT) {
                upstream.request(n);
                return;
            }
            Operators.addCap(REQUESTED, HeadReader.this, n);
            drain();
        }

        @Override
        public void cancel() {
            remainderCancelled = true;
            if (mode == Mode.DIRECT) {
                upstream.cancel();
            }
            drain();
        }
    }
}
