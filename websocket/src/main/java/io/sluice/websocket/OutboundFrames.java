package io.sluice.websocket;

import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_BINARY;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CONTINUATION;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_PING;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_PONG;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_TEXT;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.sluice.api.BufferDiscard;
import io.sluice.api.ConnectionClosedException;
import io.sluice.websocket.frame.ClosePayload;
import io.sluice.websocket.frame.FrameWriter;
import io.sluice.websocket.frame.PerMessageDeflater;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The sending side of a session: the one stream of frames handed to the connection's {@code send}, merging the
 * application's sends with the session's control frames, in order and between frames. Pongs go first (only the
 * latest, RFC 6455 §5.5.3 allows it), then keep-alive pings, then the close frame, after which the stream completes;
 * otherwise the next frame of the current send. Sends run one after another, each taking one message at a time and
 * only while the connection takes frames, so a slow peer slows the senders instead of growing a queue.
 *
 * <p>Ownership: each message taken from a send is turned into one frame (compressed, masked as the writer does)
 * and its payload released; each frame emitted belongs to the connection. Messages still queued, a pending pong or
 * ping, and the compression context are released when the stream ends, when the connection cancels it, and on
 * {@link #stop()}. Sends that cannot finish fail with {@link ConnectionClosedException}.
 *
 * <p>Threading: signals record themselves and run the one drain loop, which alone touches the writer, the deflater
 * and the connection's subscriber.
 */
final class OutboundFrames extends Flux<ByteBuf> implements Subscription {

    private static final AtomicIntegerFieldUpdater<OutboundFrames> WIP =
            AtomicIntegerFieldUpdater.newUpdater(OutboundFrames.class, "wip");
    private static final AtomicLongFieldUpdater<OutboundFrames> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(OutboundFrames.class, "requested");

    private final FrameWriter writer;
    private final PerMessageDeflater deflater;
    private final int compressionThreshold;
    private final String connectionId;
    private static final AtomicReferenceFieldUpdater<OutboundFrames, ByteBuf> PENDING_PONG =
            AtomicReferenceFieldUpdater.newUpdater(OutboundFrames.class, ByteBuf.class, "pendingPong");
    private static final AtomicReferenceFieldUpdater<OutboundFrames, ByteBuf> PENDING_PING =
            AtomicReferenceFieldUpdater.newUpdater(OutboundFrames.class, ByteBuf.class, "pendingPing");
    private static final AtomicIntegerFieldUpdater<OutboundFrames> SUBSCRIBED =
            AtomicIntegerFieldUpdater.newUpdater(OutboundFrames.class, "subscribed");
    private static final AtomicReferenceFieldUpdater<OutboundFrames, SendJob> PUSHED_JOBS =
            AtomicReferenceFieldUpdater.newUpdater(OutboundFrames.class, SendJob.class, "pushedJobs");
    private static final AtomicIntegerFieldUpdater<SendJob> TOLD =
            AtomicIntegerFieldUpdater.newUpdater(SendJob.class, "told");
    private static final AtomicReferenceFieldUpdater<SendJob, WebSocketMessage> NEXT_MESSAGE =
            AtomicReferenceFieldUpdater.newUpdater(SendJob.class, WebSocketMessage.class, "nextMessage");

    private final Runnable onTerminated;

    /**
     * Sends queued and not yet taken by the drain loop, newest first (a stack pushed with compare-and-set: no queue
     * nodes, and nothing at all while no send waits).
     */
    private volatile SendJob pushedJobs;
    private volatile ByteBuf pendingPong;
    private volatile ByteBuf pendingPing;
    private volatile int subscribed;
    private volatile int wip;
    /** All the frames the connection asked for so far (capped at Long.MAX_VALUE); see {@link #emitted}. */
    private volatile long requested;
    private volatile CoreSubscriber<? super ByteBuf> downstream;
    private volatile ClosePayload pendingClose;
    private volatile boolean cancelled;
    private volatile boolean stopRequested;

    // Owned by the drain loop.
    /** Sends taken off {@link #pushedJobs}, oldest first. */
    private SendJob queuedJobs;
    private SendJob current;
    private boolean inMessage;
    private boolean compressing;
    private WebSocketMessage.Type messageType;
    private boolean finished;
    private boolean downstreamDone;
    private boolean terminatedTold;
    /** Frames emitted so far: the demand left is {@code requested - emitted}, with no atomic update per frame. */
    private long emitted;

    /**
     * @param deflater the permessage-deflate sender, or null to send everything uncompressed
     * @param onTerminated run once the stream has ended and everything held was released (on whatever thread did it)
     */
    OutboundFrames(FrameWriter writer, PerMessageDeflater deflater, int compressionThreshold, String connectionId,
                   Runnable onTerminated) {
        this.writer = writer;
        this.deflater = deflater;
        this.compressionThreshold = compressionThreshold;
        this.connectionId = connectionId;
        this.onTerminated = onTerminated;
    }

    /** A send of the application's messages, run after the sends subscribed before it. */
    Mono<Void> send(Publisher<? extends WebSocketMessage> messages) {
        return new Mono<>() {
            @Override
            public void subscribe(CoreSubscriber<? super Void> caller) {
                SendJob job = new SendJob(messages, caller);
                caller.onSubscribe(job);
                offerJob(job);
                drain();
            }
        };
    }

    /** Queues a send; from any thread. */
    private void offerJob(SendJob job) {
        for (;;) {
            SendJob top = pushedJobs;
            job.next = top;
            if (PUSHED_JOBS.compareAndSet(this, top, job)) {
                return;
            }
        }
    }

    /** The oldest send queued, or null; from the drain loop. */
    private SendJob pollJob() {
        if (queuedJobs == null) {
            SendJob stack = PUSHED_JOBS.getAndSet(this, null);
            SendJob reversed = null;
            while (stack != null) {
                SendJob next = stack.next;
                stack.next = reversed;
                reversed = stack;
                stack = next;
            }
            queuedJobs = reversed;
        }
        SendJob job = queuedJobs;
        if (job != null) {
            queuedJobs = job.next;
            job.next = null;
        }
        return job;
    }

    /** Answers a ping with {@code payload}, replacing a pong not yet sent. Takes {@code payload}. */
    void queuePong(ByteBuf payload) {
        ByteBuf older = PENDING_PONG.getAndSet(this, payload);
        if (older != null) {
            older.release();
        }
        drain();
    }

    /** Sends a ping carrying {@code payload}. Takes {@code payload}. */
    void queuePing(ByteBuf payload) {
        ByteBuf older = PENDING_PING.getAndSet(this, payload);
        if (older != null) {
            older.release();
        }
        drain();
    }

    /** Sends the close frame at the next frame boundary, then completes; data still queued is dropped. */
    void queueClose(ClosePayload close) {
        pendingClose = close;
        drain();
    }

    /** Ends the stream at once: completes it, releases what is held, fails the sends. */
    void stop() {
        stopRequested = true;
        drain();
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        if (!SUBSCRIBED.compareAndSet(this, 0, 1)) {
            Operators.error(actual, new IllegalStateException("the frames of a session are sent once"));
            return;
        }
        actual.onSubscribe(this);
        downstream = actual;
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
        drainFrom(1);
    }

    /** Runs the drain loop, which the caller owns, until no signal is left unhandled. */
    private void drainFrom(int missed) {
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
            CoreSubscriber<? super ByteBuf> d = downstream;
            if (finished) {
                releaseControls();
                failJobs();
                if (d != null && !downstreamDone && !cancelled) {
                    downstreamDone = true;
                    d.onComplete();
                }
                if (!terminatedTold) {
                    terminatedTold = true;
                    onTerminated.run();
                }
                return;
            }
            if (cancelled || stopRequested) {
                finish();
                continue;
            }
            ClosePayload close = pendingClose;
            if (close != null) {
                failJobs();
            }
            if (d == null || requested == emitted) {
                return;
            }
            // A plain read first: an atomic swap on every pass would cost more than the pings ever do.
            ByteBuf pong = pendingPong == null ? null : PENDING_PONG.getAndSet(this, null);
            if (pong != null) {
                emit(d, writer.control(OPCODE_PONG, pong));
                continue;
            }
            ByteBuf ping = pendingPing == null ? null : PENDING_PING.getAndSet(this, null);
            if (ping != null) {
                emit(d, writer.control(OPCODE_PING, ping));
                continue;
            }
            if (close != null) {
                emit(d, writer.close(close));
                finish();
                continue;
            }
            if (!nextData(d)) {
                return;
            }
        }
    }

    /** One step of the current send; false when there is nothing to do until a signal comes. */
    private boolean nextData(CoreSubscriber<? super ByteBuf> d) {
        SendJob job = current;
        if (job == null) {
            job = current = pollJob();
            if (job == null) {
                return false;
            }
            job.start();
            return true;
        }
        // Read before taking the inbox: once the send is done, everything it emitted is in the inbox.
        boolean done = job.done;
        WebSocketMessage message = job.takeHandedOver();
        if (message == null) {
            message = job.poll();
        }
        if (message != null) {
            job.awaiting = false;
            ByteBuf frame;
            try {
                frame = encode(message);
            } catch (Exception e) {
                endJob(d, e);
                return true;
            }
            emit(d, frame);
            return true;
        }
        if (job.cancelled || done) {
            endJob(d, null);
            return true;
        }
        Subscription s = job.subscription;
        if (!job.awaiting && s != null) {
            job.awaiting = true;
            s.request(1);
            return true;
        }
        return false;
    }

    /**
     * Ends the current send. A fragmented message it left open is ended with an empty final fragment, so the next
     * send starts a message of its own, and the send fails.
     */
    private void endJob(CoreSubscriber<? super ByteBuf> d, Throwable failure) {
        SendJob job = current;
        current = null;
        Throwable error = failure != null ? failure : job.error;
        if (inMessage) {
            emit(d, encodeUnchecked(WebSocketMessage.fragment(messageType, Unpooled.EMPTY_BUFFER, true)));
            if (error == null) {
                error = new IllegalStateException("a send ended in the middle of a fragmented message");
            }
        }
        if (job.cancelled) {
            job.abandon(null);
        } else if (error != null) {
            job.abandon(error);
        } else {
            job.succeed();
        }
    }

    private ByteBuf encodeUnchecked(WebSocketMessage message) {
        try {
            return encode(message);
        } catch (Exception e) {
            throw new IllegalStateException("cannot end a fragmented message", e);
        }
    }

    /** One message or fragment as one frame; takes the message. */
    private ByteBuf encode(WebSocketMessage message) throws Exception {
        ByteBuf payload = message.content();
        boolean first = !inMessage;
        boolean last = message.isLast();
        WebSocketMessage.Type type = message.type();
        if (!first && type != messageType) {
            payload.release();
            throw new IllegalArgumentException("a fragment of a " + messageType + " message cannot be " + type);
        }
        if (type == WebSocketMessage.Type.BINARY && !writer.supportsBinary()) {
            payload.release();
            throw new IllegalArgumentException("this WebSocket version carries text messages only");
        }
        boolean compress = compressing;
        if (first) {
            compress = deflater != null && (!last || payload.readableBytes() >= Math.max(1, compressionThreshold));
        }
        int opcode = !first ? OPCODE_CONTINUATION : type == WebSocketMessage.Type.TEXT ? OPCODE_TEXT : OPCODE_BINARY;
        ByteBuf body = compress ? deflater.deflate(payload, last) : payload;
        ByteBuf frame = writer.data(opcode, last, compress && first, body);
        inMessage = !last;
        messageType = type;
        compressing = compress;
        return frame;
    }

    private void emit(CoreSubscriber<? super ByteBuf> d, ByteBuf frame) {
        emitted++;
        d.onNext(frame);
    }

    /** The one way out: nothing is emitted after it but completion, and nothing is held. */
    private void finish() {
        finished = true;
        releaseControls();
        failJobs();
        if (deflater != null) {
            deflater.close();
        }
    }

    private void releaseControls() {
        ByteBuf b = PENDING_PONG.getAndSet(this, null);
        if (b != null) {
            b.release();
        }
        b = PENDING_PING.getAndSet(this, null);
        if (b != null) {
            b.release();
        }
    }

    private void failJobs() {
        SendJob job = current;
        current = null;
        if (job != null) {
            job.abandon(closed());
        }
        while ((job = pollJob()) != null) {
            job.abandon(closed());
        }
    }

    private ConnectionClosedException closed() {
        return new ConnectionClosedException("WebSocket session " + connectionId + " is closed");
    }

    /**
     * One subscription to {@code send}: subscribes to its publisher when its turn comes, takes one message at a time,
     * and is the caller's subscription (cancelling it abandons the send).
     */
    private final class SendJob implements CoreSubscriber<WebSocketMessage>, Subscription {
        final Publisher<? extends WebSocketMessage> source;
        final CoreSubscriber<? super Void> caller;
        final Context context;
        /** The next send in {@link #pushedJobs} or {@link #queuedJobs}. */
        SendJob next;
        /** The caller was told the outcome, or cancelled: it hears nothing more. */
        volatile int told;
        /**
         * The message received and not yet sent. One is requested at a time, so one slot is enough; a source that
         * sends more than asked gets a queue from then on ({@link #moreMessages}), which keeps the order since the
         * slot is never filled again once the queue exists.
         */
        volatile WebSocketMessage nextMessage;
        volatile Queue<WebSocketMessage> moreMessages;
        volatile Subscription subscription;
        volatile boolean done;
        volatile Throwable error;
        volatile boolean cancelled;
        boolean awaiting;
        /**
         * A message the source handed over while the drain loop was idle: stored by the source after taking the
         * loop ({@link #onNext}'s fast path), read by the loop; only ever touched by whoever owns the loop.
         */
        WebSocketMessage handedOver;

        SendJob(Publisher<? extends WebSocketMessage> source, CoreSubscriber<? super Void> caller) {
            this.source = source;
            this.caller = caller;
            this.context = BufferDiscard.enable(caller.currentContext());
        }

        @Override
        public void request(long n) {
            // completion only: nothing to request
        }

        @Override
        public void cancel() {
            told = 1;
            cancelByCaller();
        }

        void succeed() {
            if (TOLD.compareAndSet(this, 0, 1)) {
                caller.onComplete();
            }
        }

        @Override
        public Context currentContext() {
            return context;
        }

        void start() {
            source.subscribe(this);
        }

        void cancelByCaller() {
            cancelled = true;
            drain();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(subscription, s)) {
                subscription = s;
                if (cancelled) {
                    s.cancel();
                }
                drain();
            }
        }

        @Override
        public void onNext(WebSocketMessage message) {
            if (cancelled || done) {
                ReferenceCountUtil.safeRelease(message);
                return;
            }
            if (wip == 0 && moreMessages == null && nextMessage == null
                    && WIP.compareAndSet(OutboundFrames.this, 0, 1)) {
                // Fast path, the common case of one message requested and the loop idle: the drain loop is ours (one
                // compare-and-set instead of the inbox's, the swap that empties it and the counter's). A send the
                // loop has given up on (cancelled, or no longer the current one) only releases what it is handed.
                if (cancelled || current != this) {
                    ReferenceCountUtil.safeRelease(message);
                } else {
                    handedOver = message;
                }
                drainFrom(1);
                return;
            }
            offer(message);
            if (cancelled) {
                releaseInbox();
            }
            drain();
        }

        /** The message handed over by the fast path, or null; from the drain loop. */
        WebSocketMessage takeHandedOver() {
            WebSocketMessage m = handedOver;
            if (m != null) {
                handedOver = null;
            }
            return m;
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done = true;
            drain();
        }

        @Override
        public void onComplete() {
            done = true;
            drain();
        }

        /** From the source only: its signals are serial. */
        private void offer(WebSocketMessage message) {
            Queue<WebSocketMessage> more = moreMessages;
            if (more == null && !NEXT_MESSAGE.compareAndSet(this, null, message)) {
                more = moreMessages = new ConcurrentLinkedQueue<>();
            }
            if (more != null) {
                more.offer(message);
            }
        }

        /** The next message received, or null; safe from the drain loop and a cancelling source at once. */
        WebSocketMessage poll() {
            WebSocketMessage m = nextMessage == null ? null : NEXT_MESSAGE.getAndSet(this, null);
            if (m == null) {
                Queue<WebSocketMessage> more = moreMessages;
                if (more != null) {
                    m = more.poll();
                }
            }
            return m;
        }

        /** Gives up on this send: cancels the source, releases what it gave, fails the caller (null: cancelled). */
        void abandon(Throwable failure) {
            cancelled = true;
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            releaseInbox();
            WebSocketMessage m = takeHandedOver();
            if (m != null) {
                ReferenceCountUtil.safeRelease(m);
            }
            if (failure != null && TOLD.compareAndSet(this, 0, 1)) {
                caller.onError(failure);
            }
        }

        private void releaseInbox() {
            WebSocketMessage m;
            while ((m = poll()) != null) {
                ReferenceCountUtil.safeRelease(m);
            }
        }
    }
}
