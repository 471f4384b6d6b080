package io.sluice.reactor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.sluice.api.BudgetLeak;
import io.sluice.api.BufferBudget;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionClosedException;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.GracefulShutdown;
import io.sluice.api.Handler;
import io.sluice.api.operator.EndSubscriber;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A {@link Connection} over a Netty channel: inbound through the {@link InboundGate}, outbound through
 * {@link Outbound}, memory through the connection's {@link BufferBudget}, which is also the channel's allocator.
 *
 * <p>Lifecycle: the connection is finished when its channel has closed and its handler has terminated (a server
 * connection), or when its channel has closed (a client connection). Then the inbound queue is released, the budget
 * is checked for leaks on a later event-loop turn (after Netty's own close-time releases; if buffers are still out,
 * once they are back or {@link #LATE_RELEASE_BOUND} has passed), the registry forgets it, and {@link #onClose()}
 * completes.
 */
final class ChannelConnection implements Connection {

    static final AttributeKey<ChannelConnection> KEY = AttributeKey.valueOf("sluice.connection");
    static final String GATE = "sluice.inbound";

    private static final Logger log = Loggers.getLogger(ChannelConnection.class);
    /** How long filters may take to close their streams after the handler ended, before the socket is closed. */
    static final java.time.Duration FILTER_CLOSE_BOUND = java.time.Duration.ofSeconds(10);
    /** Waits of 1, 2, 4... ms for buffers released just after the close: 10 of them, about a second in all. */
    private static final int SETTLE_STEPS = 10;
    /** How long a finished connection waits for its filters' late releases before it reports a leak. */
    static final java.time.Duration LATE_RELEASE_BOUND = java.time.Duration.ofMillis((1L << SETTLE_STEPS) - 1);

    private final Channel channel;
    private final String id;
    private volatile ConnectionInfo info;
    private final BufferBudget budget;
    private final InboundGate gate;
    private final Outbound outbound;
    private final ConnectionRegistry registry;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final Shutdown shutdown = new Shutdown();
    private HandlerSubscriber handler;
    private Connection top = this;
    /** The error the handler's inbound stream ended with, if it did: already logged by whoever raised it. */
    private volatile Throwable inboundError;
    private boolean channelClosed;
    private boolean handlerDone;
    private boolean finished;
    private boolean admitted;
    /** A client connection: no handler, so the application's reading (or its close) stands for the handler. */
    private boolean clientMode;
    /** The byte counts of the connections on this channel's event loop, added to from that loop only. */
    private final LoopByteCounts byteCounts;

    private ChannelConnection(Channel channel, String id, BufferBudget budget, ConnectionRegistry registry) {
        this.channel = channel;
        this.id = id;
        this.info = ConnectionInfo.of(id, channel.localAddress(), channel.remoteAddress());
        this.budget = budget;
        this.registry = registry;
        this.gate = new InboundGate(this, channel, budget);
        this.outbound = new Outbound(this, channel);
        this.byteCounts = registry.metrics().byteCountsOf(channel.eventLoop());
    }

    /**
     * Sets a new channel up: its budget becomes the channel's allocator, and the gate takes every inbound buffer
     * before Reactor Netty's bridge (which thus never reads). Called on the event loop before the channel is active.
     */
    static ChannelConnection install(Channel channel, String beforeHandler, ConnectionSettings settings,
            ConnectionRegistry registry) {
        String id = channel.id().asShortText();
        BufferBudget budget = BufferBudget.builder()
                .name(id)
                .parent(settings.allocator())
                .waterMarks(settings.lowWaterMark(), settings.highWaterMark())
                .build();
        ChannelConnection connection = new ChannelConnection(channel, id, budget, registry);
        channel.config().setAllocator(budget.allocator());
        channel.config().setAutoRead(false);
        channel.attr(KEY).set(connection);
        if (beforeHandler != null && channel.pipeline().get(beforeHandler) != null) {
            channel.pipeline().addBefore(beforeHandler, GATE, connection.gate);
        } else {
            channel.pipeline().addLast(GATE, connection.gate);
        }
        connection.outbound.attach(channel.pipeline().context(GATE));
        return connection;
    }

    /**
     * Starts the application's handler on the topmost connection once its layers are {@linkplain Connection#ready()
     * ready} (at once, for most); on the event loop, once the channel is active. A layer that refuses the connection
     * has logged why and closed it: the handler then never runs.
     */
    void startHandler(Handler h, Connection top) {
        this.top = top;
        activated(true);
        HandlerSubscriber subscriber = new HandlerSubscriber();
        handler = subscriber;
        Mono<Void> ready = top.ready();
        if (ready == Mono.<Void>empty()) { // the shared empty Mono: nothing to wait for
            runHandler(h, top, subscriber);
            return;
        }
        ready.subscribe(EndSubscriber.calling(error -> onLoop(() -> {
            if (handlerDone) {
                return; // the channel closed while the layers were getting ready
            }
            if (error != null) {
                if (log.isDebugEnabled()) {
                    log.debug("[{}] refused before the handler started: {}", info.id(), error.toString());
                }
                handlerTerminated(null);
            } else {
                runHandler(h, top, subscriber);
            }
        })));
    }

    private void runHandler(Handler h, Connection top, HandlerSubscriber subscriber) {
        Publisher<Void> publisher;
        try {
            publisher = h.handle(new InboundWatch(top));
        } catch (Throwable t) {
            subscriber.onError(t);
            return;
        }
        Mono.fromDirect(publisher).subscribe(subscriber);
    }

    /**
     * A client connection: no handler. It finishes once its channel has closed and the application has either read
     * the inbound stream to its end (or cancelled it) or closed the connection, so that bytes that arrived just
     * before the peer closed are still delivered to a subscriber that comes late.
     */
    void startWithoutHandler() {
        activated(false);
        clientMode = true;
    }

    /** From the gate, on the event loop: the inbound stream was delivered to its end, or cancelled. */
    void inboundConsumed() {
        if (clientMode && !handlerDone) {
            handlerDone = true;
            maybeFinish();
        }
    }

    /**
     * A client channel learns its addresses on connect: take them into the info, then register. A server connection
     * offers its application the {@link GracefulShutdown}.
     */
    private void activated(boolean server) {
        ConnectionInfo i = ConnectionInfo.of(id, channel.localAddress(), channel.remoteAddress());
        info = server ? i.with(GracefulShutdown.KEY, shutdown) : i;
        registry.add(this);
    }

    Channel channel() {
        return channel;
    }

    /** This connection holds a place under the server's connection limit until it finishes. */
    void markAdmitted() {
        admitted = true;
    }

    boolean admitted() {
        return admitted;
    }

    @Override
    public Flux<ByteBuf> receive() {
        return gate.receive();
    }

    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return outbound.send(data);
    }

    @Override
    public void close() {
        if (channel.eventLoop().inEventLoop()) {
            closeInLoop();
        } else {
            try {
                channel.eventLoop().execute(this::closeInLoop);
            } catch (RejectedExecutionException shutdown) {
                channel.close();
            }
        }
    }

    private void closeInLoop() {
        if (clientMode && !handlerDone) {
            handlerDone = true; // the application is done with it: unread inbound data is discarded
        }
        channel.close();
        maybeFinish();
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public ConnectionInfo info() {
        return info;
    }

    @Override
    public BufferBudget budget() {
        return budget;
    }

    boolean isActive() {
        return channel.isActive();
    }

    /**
     * Graceful shutdown, first step: no more reading, the inbound stream completes after what was read; or, when the
     * application {@linkplain GracefulShutdown#takeOver() took the shutdown over}, only the signal.
     */
    void finishInput() {
        shutdown.start();
    }

    /** On the event loop, per read. */
    void countIn(int bytes) {
        byteCounts.addIn(bytes);
    }

    /** On the event loop, per write. */
    void countOut(int bytes) {
        byteCounts.addOut(bytes);
    }

    boolean inReadBatch() {
        return gate.inReadBatch();
    }

    void readBatchComplete() {
        outbound.flushIfPending();
    }

    void writabilityChanged() {
        outbound.writabilityChanged();
    }

    /** From the gate's channelInactive, on the event loop. */
    void channelClosed() {
        channelClosed = true;
        outbound.channelClosed();
        HandlerSubscriber h = handler;
        if (h == null && !clientMode) {
            handlerDone = true; // closed before a handler could start
        }
        if (h != null && !handlerDone) {
            h.cancelHandler();
        }
        maybeFinish();
    }

    private void handlerTerminated(Throwable error) {
        if (handlerDone) {
            return;
        }
        handlerDone = true;
        if (error != null) {
            // Looked up here, on a rare path, so that a logger factory installed later (a test's capture) sees it.
            Logger handlerLog = Loggers.getLogger(ChannelConnection.class);
            if (error instanceof ConnectionClosedException) {
                if (handlerLog.isDebugEnabled()) {
                    handlerLog.debug("[{}] handler ended because the connection closed: {}", info.id(),
                            error.toString());
                }
            } else if (causedBy(error, inboundError)) {
                // Bad input or a transport error: the filter or the gate that raised it logged it once already.
                if (handlerLog.isDebugEnabled()) {
                    handlerLog.debug("[{}] handler ended with the error of its inbound stream: {}", info.id(),
                            error.toString());
                }
            } else {
                handlerLog.warn("[" + info.id() + "] handler failed, closing the connection", error);
            }
        }
        closeThroughFilters();
        maybeFinish();
    }

    /** Whether {@code cause} is {@code error} or in its chain of causes (a handler may wrap what it got). */
    private static boolean causedBy(Throwable error, Throwable cause) {
        if (cause == null) {
            return false;
        }
        int depth = 0;
        for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t == cause) {
                return true;
            }
        }
        return false;
    }

    /**
     * The topmost connection as the handler sees it: the same in every way, except that the error its inbound stream
     * ends with is remembered, so that a handler failing with it is not logged a second time.
     */
    private final class InboundWatch extends ConnectionLayer {

        InboundWatch(Connection top) {
            super(top);
        }

        @Override
        public Flux<ByteBuf> receive() {
            return lower.receive().doOnError(e -> inboundError = e);
        }
    }

    /**
     * Closes the topmost connection, so that each filter can end its stream on the way down (a compressed stream's
     * end, a TLS close_notify, a WebSocket close frame) before the socket closes. A filter that does not close its
     * lower connection within {@link #FILTER_CLOSE_BOUND} is overruled.
     */
    private void closeThroughFilters() {
        if (top == this || !channel.isActive()) {
            channel.close();
            return;
        }
        try {
            top.close();
        } catch (RuntimeException e) {
            log.warn("[" + info.id() + "] a filter failed to close, closing the socket", e);
            channel.close();
            return;
        }
        if (channel.isActive()) {
            try {
                io.netty.util.concurrent.ScheduledFuture<?> overrule = channel.eventLoop().schedule(() -> {
                    if (channel.isActive()) {
                        log.warn("[{}] filters did not close within {} ms, closing the socket", info.id(),
                                FILTER_CLOSE_BOUND.toMillis());
                        channel.close();
                    }
                }, FILTER_CLOSE_BOUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                // Cancelled as soon as the socket closes: a pending timer would hold the whole connection (its
                // filters, a TLS engine and session) in memory for the full bound after the close.
                channel.closeFuture().addListener(closed -> overrule.cancel(false));
            } catch (RejectedExecutionException shutdown) {
                channel.close();
            }
        }
    }

    private void maybeFinish() {
        if (finished || !channelClosed || !handlerDone) {
            return;
        }
        finished = true;
        gate.dispose();
        try {
            channel.eventLoop().execute(() -> checkBudget(0));
        } catch (RejectedExecutionException shutdown) {
            checkBudget(SETTLE_STEPS);
        }
    }

    /**
     * Checks the account once every buffer is back, or once {@link #LATE_RELEASE_BOUND} has passed. Filters may
     * release a moment after the socket closed, on another thread: a TLS engine running a delegated task holds
     * its input until the task ends. Waiting for the account to settle (at 1, 2, 4... ms, on the event loop) tells
     * a late release from a leak; the common case, nothing outstanding, is checked at once.
     */
    private void checkBudget(int step) {
        if (step < SETTLE_STEPS && (budget.outstandingBytes() > 0 || budget.outstandingBuffers() > 0)) {
            try {
                channel.eventLoop().schedule(() -> checkBudget(step + 1), 1L << step,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException shutdown) {
                // no loop left to wait on: check now
            }
        }
        if (step > 0 && log.isDebugEnabled()) {
            log.debug("[{}] waited up to {} ms for buffers released after the close", info.id(), (1L << step) - 1);
        }
        Optional<BudgetLeak> leak = budget.close();
        leak.ifPresent(l -> registry.metrics().onLeak());
        registry.remove(this);
        closed.tryEmitEmpty();
    }

    @Override
    public String toString() {
        return "connection " + info;
    }

    /** The {@link GracefulShutdown} of a server connection: ends the input, unless the application took over. */
    private final class Shutdown implements GracefulShutdown {
        private static final int DEFAULT = 0;
        private static final int TAKEN_OVER = 1;
        private static final int STARTED = 2;

        private final AtomicInteger state = new AtomicInteger(DEFAULT);
        private final Sinks.Empty<Void> started = Sinks.empty();

        @Override
        public Mono<Void> takeOver() {
            state.compareAndSet(DEFAULT, TAKEN_OVER);
            return started.asMono();
        }

        void start() {
            if (state.getAndSet(STARTED) != TAKEN_OVER) {
                gate.finishInput();
            }
            started.tryEmitEmpty();
        }

        @Override
        public String toString() {
            return "GracefulShutdown[" + id + ", " + switch (state.get()) {
                case TAKEN_OVER -> "taken over";
                case STARTED -> "started";
                default -> "default";
            } + "]";
        }
    }

    /** Subscribes to the handler's publisher; its termination ends the connection. */
    private final class HandlerSubscriber extends EndSubscriber {

        @Override
        protected void ended(Throwable error) {
            onLoop(() -> handlerTerminated(error));
        }

        /** The channel closed under a running handler: stop it; its late signals are ignored. */
        void cancelHandler() {
            cancel();
            handlerTerminated(null);
        }

    }

    /** Runs {@code r} on the channel's event loop: here if this is it, else queued (here if the loop is gone). */
    private void onLoop(Runnable r) {
        if (channel.eventLoop().inEventLoop()) {
            r.run();
        } else {
            try {
                channel.eventLoop().execute(r);
            } catch (RejectedExecutionException shutdown) {
                r.run();
            }
        }
    }

    /** Closes channels refused by the connection limit as soon as they are active, before any handler runs. */
    static final class Refuser extends ChannelInboundHandlerAdapter {
        static final Refuser INSTANCE = new Refuser();

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }
}
