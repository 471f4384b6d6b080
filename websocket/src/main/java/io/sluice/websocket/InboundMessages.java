package io.sluice.websocket;

import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CONTINUATION;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_PING;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_PONG;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BufferBudget;
import io.sluice.api.BufferDiscard;
import io.sluice.api.Connection;
import io.sluice.websocket.frame.ClosePayload;
import io.sluice.websocket.frame.Frame;
import io.sluice.websocket.frame.FrameReader;
import io.sluice.websocket.frame.WebSocketProtocolException;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * The receiving side of a session: a demand-driven operator from the connection's inbound bytes, through a
 * {@link FrameReader} and a {@link MessageAssembler}, to the application's subscriber. Control frames go to the
 * session ({@link Events}) as they are read.
 *
 * <p>Demand: a frame is read only while the application has demand for a message, and one more buffer is requested
 * from the connection only when the reader needs more bytes, so an idle subscriber stops the reading below. When the
 * subscriber cancelled, or when nobody subscribed and the session is closing, frames are read regardless and data
 * released, so that pings and the peer's close are still seen. After a close frame nothing more is parsed; input is
 * read and released until the connection ends (a client waits for the server to close it).
 *
 * <p>Ownership: every buffer from the connection becomes the reader's; every message emitted becomes the
 * subscriber's. Whatever is held (unparsed input, a partial message, the inflater) is released on a protocol
 * violation, at the end of the connection, and on {@link #stop()}, and nothing is emitted after. These buffers are
 * released here rather than through Reactor's discard hook, since a buffer must be released exactly once.
 *
 * <p>Threading: every signal (upstream, subscriber, session) only records itself and runs the one drain loop (a
 * work-in-progress counter); the loop alone touches the reader, the assembler and the subscriber.
 */
final class InboundMessages implements CoreSubscriber<ByteBuf> {

    /** What the session hears from the receiving side, from inside the drain loop, one call at a time. */
    interface Events {
        /** A ping: the session owns {@code payload}. */
        void pingReceived(ByteBuf payload);

        /** A pong: the session owns {@code payload}. */
        void pongReceived(ByteBuf payload);

        /**
         * The peer's close frame; the subscriber is completed right after, so that an application that closes when
         * its messages end finds the answer to the peer's close already queued.
         */
        void closeReceived(ClosePayload close);

        /**
         * A violation. The session queues its close frame here; everything is released, reading stopped and the
         * subscriber completed right after, so that an application that closes when its messages end finds that
         * close (1002, 1007, 1009) already queued instead of queueing its own first.
         */
        void protocolError(WebSocketProtocolException error);

        /** The connection's inbound stream ended ({@code error} null: the peer closed its side). */
        void inboundEnded(Throwable error);

        /** Reading has ended and everything held was released; called once, on whatever thread did it. */
        void sideTerminated();
    }

    private static final int NO_SUBSCRIBER = 0;
    private static final int SUBSCRIBED = 1;
    private static final int CANCELLED = 2;

    private static final AtomicIntegerFieldUpdater<InboundMessages> WIP =
            AtomicIntegerFieldUpdater.newUpdater(InboundMessages.class, "wip");
    private static final AtomicLongFieldUpdater<InboundMessages> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(InboundMessages.class, "requested");
    private static final AtomicIntegerFieldUpdater<InboundMessages> APP_STATE =
            AtomicIntegerFieldUpdater.newUpdater(InboundMessages.class, "appState");
    private static final AtomicIntegerFieldUpdater<InboundMessages> ATTACHED =
            AtomicIntegerFieldUpdater.newUpdater(InboundMessages.class, "attached");
    private static final AtomicReferenceFieldUpdater<InboundMessages, ByteBuf> NEXT_IN =
            AtomicReferenceFieldUpdater.newUpdater(InboundMessages.class, ByteBuf.class, "nextIn");
    private static final Context CONTEXT = BufferDiscard.enable(Context.empty());

    private final Connection lower;
    private final FrameReader reader;
    private final MessageAssembler assembler;
    private final Events events;
    /**
     * The buffer received and not yet fed to the reader. One buffer is requested at a time, so one slot is enough;
     * a source that sends more than it was asked for gets a queue ({@link #moreIn}) from then on, which keeps the
     * order since this slot is never filled again once that queue exists.
     */
    private volatile ByteBuf nextIn;
    private volatile Queue<ByteBuf> moreIn;
    private volatile int attached;

    private volatile int wip;
    /** All the messages the subscriber asked for so far (capped at Long.MAX_VALUE); see {@link #emitted}. */
    private volatile long requested;
    private volatile int appState;
    private volatile CoreSubscriber<? super WebSocketMessage> app;
    /** The subscriber has returned from onSubscribe: it may be signalled. */
    private volatile boolean appReady;
    private volatile boolean fragments;
    private volatile Subscription upstream;
    private volatile boolean upstreamDone;
    private volatile Throwable upstreamError;
    private volatile boolean closing;
    private volatile boolean stopRequested;

    // Owned by the drain loop.
    private boolean upstreamSubscribed;
    private boolean upstreamCancelled;
    private boolean awaitingInput;
    private boolean closeReceived;
    private boolean discardingMessage;
    private boolean appDone;
    private boolean finished;
    /**
     * Messages emitted so far: the demand left is {@code requested - emitted}, so emitting costs no atomic update
     * of {@link #requested} (reactor-core's {@code produced} counter).
     */
    private long emitted;

    InboundMessages(Connection lower, FrameReader reader, MessageAssembler assembler, Events events) {
        this.lower = lower;
        this.reader = reader;
        this.assembler = assembler;
        this.events = events;
    }

    /** The application's view: whole messages, or fragments; one subscriber between the two. */
    Flux<WebSocketMessage> messages(boolean asFragments) {
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super WebSocketMessage> actual) {
                attach(actual, asFragments);
            }
        };
    }

    /** The session sent its close: read on even without a subscriber, to see the peer's. */
    void closing() {
        closing = true;
        drain();
    }

    /** Ends reading: releases everything and completes the subscriber. */
    void stop() {
        stopRequested = true;
        drain();
    }

    private void attach(CoreSubscriber<? super WebSocketMessage> actual, boolean asFragments) {
        if (!ATTACHED.compareAndSet(this, 0, 1)) {
            Operators.error(actual, new IllegalStateException("connection " + lower.info().id()
                    + ": receive() and receiveFragments() allow one subscriber between them"));
            return;
        }
        fragments = asFragments;
        app = actual;
        APP_STATE.compareAndSet(this, NO_SUBSCRIBER, SUBSCRIBED);
        actual.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (Operators.validate(n)) {
                    Operators.addCap(REQUESTED, InboundMessages.this, n);
                    drain();
                }
            }

            @Override
            public void cancel() {
                appState = CANCELLED;
                drain();
            }
        });
        appReady = true;
        drain();
    }

    @Override
    public Context currentContext() {
        return CONTEXT;
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
        if (wip == 0 && moreIn == null && nextIn == null && WIP.compareAndSet(this, 0, 1)) {
            // Fast path, the common case of one buffer requested and nothing else going on: the drain loop is ours
            // (one compare-and-set instead of the inbox's and the counter's), so the buffer goes to the reader here.
            if (finished) {
                buf.release();
            } else {
                awaitingInput = false;
                reader.feed(buf);
            }
            drainFrom(1);
            return;
        }
        Queue<ByteBuf> more = moreIn;
        if (more == null && !NEXT_IN.compareAndSet(this, null, buf)) {
            more = moreIn = Queues.<ByteBuf>unbounded(Queues.XS_BUFFER_SIZE).get();
        }
        if (more != null) {
            more.offer(buf);
        }
        drain();
    }

    /** The next buffer received, or null. */
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

    @Override
    public void onError(Throwable t) {
        upstreamError = t;
        upstreamDone = true;
        drain();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
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
            if (finished) {
                cancelUpstream();
                releaseInbox();
                completeApp();
                return;
            }
            if (stopRequested) {
                finish();
                continue;
            }
            // Read before taking the inbox: once the upstream is done, everything it sent is in the inbox.
            boolean done = upstreamDone;
            ByteBuf in;
            while ((in = pollIn()) != null) {
                awaitingInput = false;
                reader.feed(in);
            }
            Throwable error = upstreamError;
            if (error != null) {
                finish();
                events.inboundEnded(error);
                continue;
            }
            if (done && reader.buffered() == 0) {
                // Nothing unread is left: the end is known without waiting for demand.
                finish();
                events.inboundEnded(null);
                continue;
            }
            if (closeReceived) {
                if (requestInput()) {
                    continue;
                }
                return;
            }
            int state = appState;
            boolean discarding = state == CANCELLED || (state == NO_SUBSCRIBER && closing);
            if (!discarding && !(state == SUBSCRIBED && appReady && requested != emitted)) {
                return;
            }
            Frame frame;
            try {
                frame = reader.poll();
            } catch (WebSocketProtocolException e) {
                fail(e);
                continue;
            }
            if (frame == null) {
                if (done) {
                    finish();
                    events.inboundEnded(null);
                    continue;
                }
                if (requestInput()) {
                    continue;
                }
                return;
            }
            if (frame.isControl()) {
                control(frame);
                continue;
            }
            if (frame.first() && frame.opcode() != OPCODE_CONTINUATION) {
                discardingMessage = discarding;
            }
            WebSocketMessage message;
            try {
                message = assembler.accept(frame, !fragments && !discardingMessage);
            } catch (WebSocketProtocolException e) {
                fail(e);
                continue;
            }
            if (message != null) {
                deliver(message);
            }
        }
    }

    /** Asks the connection for more bytes; false when a request is already out (the loop then waits). */
    private boolean requestInput() {
        if (!upstreamSubscribed) {
            upstreamSubscribed = true;
            lower.receive().subscribe(this);
            return true;
        }
        Subscription s = upstream;
        if (awaitingInput || s == null) {
            return false;
        }
        if (stalledOnBudget()) {
            fail(new WebSocketProtocolException(CLOSE_MESSAGE_TOO_BIG, "message does not fit the connection's "
                    + "buffer budget (" + held() + " bytes held, high-water mark "
                    + lower.budget().highWaterMark() + " bytes)"));
            return true;
        }
        awaitingInput = true;
        s.request(1);
        return true;
    }

    /**
     * Whether waiting for more bytes would wait for ever: reading stops at the budget's high-water mark and resumes
     * only at its low-water mark, which cannot be reached while this side holds more than that itself.
     */
    private boolean stalledOnBudget() {
        long held = held();
        if (held == 0) {
            return false;
        }
        BufferBudget budget = lower.budget();
        return held >= budget.highWaterMark() || (budget.exhausted() && held > budget.lowWaterMark());
    }

    private long held() {
        return reader.buffered() + assembler.heldBytes();
    }

    private void control(Frame frame) {
        switch (frame.opcode()) {
            case OPCODE_PING -> events.pingReceived(frame.payload());
            case OPCODE_PONG -> events.pongReceived(frame.payload());
            default -> {
                ClosePayload close;
                try {
                    close = ClosePayload.parse(frame.payload());
                } catch (WebSocketProtocolException e) {
                    frame.release();
                    fail(e);
                    return;
                }
                frame.release();
                closeReceived = true;
                assembler.release();
                events.closeReceived(close);
                completeApp();
            }
        }
    }

    private void deliver(WebSocketMessage message) {
        if (discardingMessage || appState != SUBSCRIBED) {
            message.release();
            return;
        }
        emitted++;
        app.onNext(message);
    }

    private void fail(WebSocketProtocolException e) {
        events.protocolError(e);
        finish();
    }

    /** The one way out: nothing is read or emitted after it, and nothing is held. */
    private void finish() {
        finished = true;
        cancelUpstream();
        reader.release();
        assembler.release();
        releaseInbox();
        completeApp();
        events.sideTerminated();
    }

    private void cancelUpstream() {
        Subscription s = upstream;
        if (s != null && !upstreamCancelled) {
            upstreamCancelled = true;
            s.cancel();
        }
    }

    private void completeApp() {
        if (!appDone && appReady && appState == SUBSCRIBED) {
            appDone = true;
            app.onComplete();
        }
    }

    private void releaseInbox() {
        ByteBuf in;
        while ((in = pollIn()) != null) {
            in.release();
        }
    }
}
