package io.sluice.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.operator.EndSubscriber;
import io.sluice.websocket.frame.ClosePayload;
import io.sluice.websocket.frame.FrameReader;
import io.sluice.websocket.frame.FrameWriter;
import io.sluice.websocket.frame.Hixie76FrameReader;
import io.sluice.websocket.frame.Hixie76FrameWriter;
import io.sluice.websocket.frame.PerMessageDeflater;
import io.sluice.websocket.frame.PerMessageInflater;
import io.sluice.websocket.frame.Rfc6455FrameReader;
import io.sluice.websocket.frame.Rfc6455FrameWriter;
import io.sluice.websocket.frame.WebSocketProtocol;
import io.sluice.websocket.frame.WebSocketProtocolException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.IntSupplier;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The {@link WebSocketSession} over a connection: wires an {@link InboundMessages} and an {@link OutboundFrames}
 * for the version's wire format, and runs the closing handshake and keep-alive between them. See
 * {@link WebSocketSession} for the behaviour and the ownership rules.
 *
 * <p>The session's own state is a few atomics and volatile fields set once: whether a close was queued, what was
 * received, whether our close frame has been handed to the connection, and whether the session ended. It ends
 * exactly once ({@link #end}), from whichever event comes last: both close frames exchanged (a server then closes
 * the connection; a client waits for the server to), our close frame handed over after a protocol error, the
 * connection ending, or the close timeout.
 *
 * <p>Memory: a server may hold very many idle sessions, so nothing is made before it is needed. The close-status
 * sinks exist only once {@link #closeStatus()} or {@link #closeStatusSent()} is called; the two sides report their
 * end through {@link #sideTerminated()} rather than sinks of their own.
 */
final class FramedSession implements WebSocketSession, InboundMessages.Events {

    private final Connection lower;
    private final WebSocketRole role;
    private final WebSocketVersion version;
    private final String subprotocol;
    private final PerMessageDeflate deflate;
    /** Where the close timeout and the keep-alive run: see {@link WebSocketSettings#timerScheduler()}. */
    private final Scheduler timers;
    private final WebSocketSettings settings;
    private final InboundMessages inbound;
    private final OutboundFrames outbound;
    private final KeepAlive keepAlive;

    private static final AtomicIntegerFieldUpdater<FramedSession> CLOSE_QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(FramedSession.class, "closeQueued");
    private static final AtomicIntegerFieldUpdater<FramedSession> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(FramedSession.class, "ended");
    /** Counts down the end call and the two sides' terminations; the session has ended at 0. */
    private static final AtomicIntegerFieldUpdater<FramedSession> AWAITED =
            AtomicIntegerFieldUpdater.newUpdater(FramedSession.class, "awaited");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<FramedSession, Sinks.One> RECEIVED_SINK =
            AtomicReferenceFieldUpdater.newUpdater(FramedSession.class, Sinks.One.class, "statusReceived");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<FramedSession, Sinks.One> SENT_SINK =
            AtomicReferenceFieldUpdater.newUpdater(FramedSession.class, Sinks.One.class, "statusSent");
    private static final AtomicReferenceFieldUpdater<FramedSession, Runnable> END_LISTENER =
            AtomicReferenceFieldUpdater.newUpdater(FramedSession.class, Runnable.class, "endListener");
    private static final Runnable TOLD = () -> { };

    private volatile int closeQueued;
    private volatile int ended;
    private volatile int awaited = 3;
    private volatile Sinks.One<CloseStatus> statusReceived;
    private volatile Sinks.One<CloseStatus> statusSent;
    /** Set once the session has ended: the statuses are final. */
    private volatile boolean statusesFinal;
    private volatile Runnable endListener;
    private volatile CloseStatus received;
    private volatile CloseStatus sent;
    private volatile boolean failed;
    private volatile boolean flushed;
    private volatile Disposable closeTimer;
    /** Bounds the reading of what a gone connection left unread (see {@link #connectionGone()}). */
    private volatile Disposable goneTimer;

    private FramedSession(Connection lower, WebSocketRole role, WebSocketVersion version, String subprotocol,
                          PerMessageDeflate deflate, WebSocketSettings settings, IntSupplier maskKeys) {
        this.lower = lower;
        this.role = role;
        this.version = version;
        this.subprotocol = subprotocol;
        this.deflate = deflate;
        this.settings = settings;
        this.timers = settings.timerScheduler();
        ByteBufAllocator alloc = lower.budget().allocator();
        boolean server = role == WebSocketRole.SERVER;
        FrameReader reader;
        FrameWriter writer;
        if (version == WebSocketVersion.HIXIE_76) {
            reader = new Hixie76FrameReader(alloc, settings.maxMessageSize());
            writer = new Hixie76FrameWriter(alloc);
        } else {
            reader = new Rfc6455FrameReader(alloc, server, deflate != null, settings.maxFrameSize());
            writer = new Rfc6455FrameWriter(alloc, !server, maskKeys);
        }
        PerMessageInflater inflater = null;
        PerMessageDeflater deflater = null;
        if (deflate != null) {
            inflater = new PerMessageInflater(alloc,
                    server ? !deflate.clientNoContextTakeover() : !deflate.serverNoContextTakeover());
            deflater = new PerMessageDeflater(alloc,
                    server ? !deflate.serverNoContextTakeover() : !deflate.clientNoContextTakeover(),
                    server ? deflate.serverMaxWindowBits() : deflate.clientMaxWindowBits(),
                    settings.compressionLevel());
        }
        this.inbound = new InboundMessages(lower, reader,
                new MessageAssembler(alloc, settings.maxMessageSize(), inflater), this);
        this.outbound = new OutboundFrames(writer, deflater, settings.compressionThreshold(), lower.info().id(),
                this::sideTerminated);
        this.keepAlive = settings.pingInterval().isZero() || !writer.supportsPing() ? null
                : new KeepAlive(settings.pingInterval(), settings.pongTimeout(), timers, alloc,
                        outbound::queuePing, this::pongTimedOut);
    }

    static FramedSession start(Connection lower, WebSocketRole role, WebSocketVersion version, String subprotocol,
                               PerMessageDeflate deflate, WebSocketSettings settings, IntSupplier maskKeys) {
        Objects.requireNonNull(lower, "lower");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(settings, "settings");
        if (deflate != null) {
            if (version == WebSocketVersion.HIXIE_76) {
                throw new IllegalArgumentException("permessage-deflate does not exist in Hixie-76");
            }
            checkWindowBits("server_max_window_bits", deflate.serverMaxWindowBits());
            checkWindowBits("client_max_window_bits", deflate.clientMaxWindowBits());
        }
        FramedSession session = new FramedSession(lower, role, version, subprotocol, deflate, settings, maskKeys);
        session.begin();
        return session;
    }

    private static void checkWindowBits(String name, int bits) {
        if (bits < 8 || bits > 15) {
            throw new IllegalArgumentException(name + " must be in 8..15, got " + bits);
        }
    }

    private void begin() {
        lower.send(outbound).subscribe(new Watcher(true));
        lower.onClose().subscribe(new Watcher(false));
        if (keepAlive != null) {
            keepAlive.start();
        }
    }

    @Override
    public Flux<WebSocketMessage> receive() {
        return inbound.messages(false);
    }

    @Override
    public Flux<WebSocketMessage> receiveFragments() {
        return inbound.messages(true);
    }

    @Override
    public Mono<Void> send(Publisher<? extends WebSocketMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        return outbound.send(messages);
    }

    @Override
    public void close(CloseStatus status) {
        Objects.requireNonNull(status, "status");
        if (!status.isSendable()) {
            throw new IllegalArgumentException("close status " + status.code() + " may not be sent: "
                    + WebSocketProtocol.closeCodeProblem(status.code()));
        }
        startClose(new ClosePayload(status.code(), status.reason()));
    }

    @Override
    public Mono<CloseStatus> closeStatus() {
        return statusSink(RECEIVED_SINK).asMono();
    }

    @Override
    public Mono<CloseStatus> closeStatusSent() {
        return statusSink(SENT_SINK).asMono();
    }

    /**
     * Runs {@code listener} once the session has ended (when {@link #closeStatus()} would complete), at once if it
     * already has. One listener: the server's session runner, which needs no sink for it.
     */
    void whenEnded(Runnable listener) {
        if (!END_LISTENER.compareAndSet(this, null, listener)) {
            listener.run();
        }
    }

    /** The sink of {@code which}, made on first use; told at once if the session has already ended. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Sinks.One<CloseStatus> statusSink(AtomicReferenceFieldUpdater<FramedSession, Sinks.One> which) {
        Sinks.One<CloseStatus> sink = which.get(this);
        if (sink != null) {
            return sink;
        }
        Sinks.One<CloseStatus> made = Sinks.one();
        if (!which.compareAndSet(this, null, made)) {
            return which.get(this);
        }
        if (statusesFinal) {
            tell(which, made);
        }
        return made;
    }

    /** Emits the final status into {@code sink}; both the end and a late first call may do it, the first wins. */
    @SuppressWarnings("rawtypes")
    private void tell(AtomicReferenceFieldUpdater<FramedSession, Sinks.One> which, Sinks.One<CloseStatus> sink) {
        if (which == SENT_SINK) {
            CloseStatus s = sent;
            if (s != null) {
                sink.tryEmitValue(s);
            } else {
                sink.tryEmitEmpty();
            }
        } else {
            CloseStatus r = received;
            sink.tryEmitValue(r != null ? r : CloseStatus.ABNORMAL_CLOSURE);
        }
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public WebSocketRole role() {
        return role;
    }

    @Override
    public WebSocketVersion version() {
        return version;
    }

    @Override
    public PerMessageDeflate perMessageDeflate() {
        return deflate;
    }

    @Override
    public ConnectionInfo info() {
        return lower.info();
    }

    @Override
    public ByteBufAllocator allocator() {
        return lower.budget().allocator();
    }

    // Events of the receiving side, from its drain loop.

    @Override
    public void pingReceived(ByteBuf payload) {
        outbound.queuePong(payload);
    }

    @Override
    public void pongReceived(ByteBuf payload) {
        try {
            if (keepAlive != null) {
                keepAlive.pongReceived(payload);
            }
        } finally {
            payload.release();
        }
    }

    @Override
    public void closeReceived(ClosePayload close) {
        received = close == ClosePayload.NONE ? CloseStatus.NO_STATUS_RECEIVED
                : new CloseStatus(close.code(), close.reason());
        // The reply echoes the peer's code (RFC 6455 §5.5.1), or is empty when the peer sent none.
        startClose(close == ClosePayload.NONE ? ClosePayload.NONE : new ClosePayload(close.code(), ""));
        maybeEnd();
    }

    @Override
    public void protocolError(WebSocketProtocolException error) {
        log().warn("connection {}: WebSocket protocol error, closing with {}: {}", lower.info().id(),
                error.closeCode(), error.getMessage());
        failed = true;
        startClose(new ClosePayload(error.closeCode(), ClosePayload.fitReason(error.getMessage())));
        maybeEnd();
    }

    @Override
    public void inboundEnded(Throwable error) {
        end();
    }

    /** The inbound or outbound side has ended and released everything it held (once each). */
    @Override
    public void sideTerminated() {
        if (AWAITED.decrementAndGet(this) == 0) {
            ended();
        }
    }

    private void pongTimedOut() {
        log().info("connection {}: no pong within {}, dropping the WebSocket connection", lower.info().id(),
                settings.pongTimeout());
        failed = true;
        // The close first: stopping the inbound side completes the application's stream, which may close too.
        startClose(new ClosePayload(WebSocketProtocol.CLOSE_GOING_AWAY, "pong timeout"));
        inbound.stop();
        maybeEnd();
    }

    // The closing handshake.

    private void startClose(ClosePayload close) {
        if (ended != 0 || !CLOSE_QUEUED.compareAndSet(this, 0, 1)) {
            return;
        }
        sent = close == ClosePayload.NONE ? null : new CloseStatus(close.code(), close.reason());
        closeTimer = timers.schedule(this::closeTimedOut, settings.closeTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        outbound.queueClose(close);
        inbound.closing();
    }

    private void outboundFlushed() {
        flushed = true;
        maybeEnd();
    }

    /** Nothing more can be sent; what the peer sent may still be unread, as when the connection is gone. */
    private void outboundFailed(Throwable error) {
        connectionGone();
    }

    private void closeTimedOut() {
        if (ended == 0) {
            log().info("connection {}: WebSocket closing handshake not done within {}, dropping the connection",
                    lower.info().id(), settings.closeTimeout());
            end();
        }
    }

    /**
     * The connection has ended, but what it delivered may not all have been read: bytes that came with the handshake's
     * answer, or plaintext a layer below (TLS) holds until it is asked for. The peer's close frame may be among them,
     * and its code is what the application must see, not 1006. So the inbound side reads what is left, whatever the
     * application's demand, and its end ends the session; the close timeout bounds the wait.
     */
    private void connectionGone() {
        if (ended != 0 || goneTimer != null) {
            return;
        }
        goneTimer = timers.schedule(this::end, settings.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        inbound.closing();
        if (ended != 0) { // ended meanwhile: the timer may have been armed after end() looked for it
            Disposable t = goneTimer;
            if (t != null) {
                t.dispose();
            }
        }
    }

    /** Ends the session if our close frame is out and nothing more is awaited. */
    private void maybeEnd() {
        if (!flushed) {
            return;
        }
        if (failed || (received != null && role == WebSocketRole.SERVER)) {
            end();
        }
    }

    /** The one end of a session: everything is released, the connection closed, the statuses told. */
    private void end() {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return;
        }
        Disposable timer = closeTimer;
        if (timer != null) {
            timer.dispose();
        }
        timer = goneTimer;
        if (timer != null) {
            timer.dispose();
        }
        if (keepAlive != null) {
            keepAlive.stop();
        }
        inbound.stop();
        outbound.stop();
        // Both sides release what they hold in their own drain loops: the connection closes (and its budget is
        // checked) and the statuses are told only after both have.
        sideTerminated();
    }

    @SuppressWarnings("unchecked")
    private void ended() {
        lower.close();
        statusesFinal = true;
        Sinks.One<CloseStatus> sink = statusSent;
        if (sink != null) {
            tell(SENT_SINK, sink);
        }
        sink = statusReceived;
        if (sink != null) {
            tell(RECEIVED_SINK, sink);
        }
        Runnable listener = END_LISTENER.getAndSet(this, TOLD);
        if (listener != null) {
            listener.run();
        }
    }

    /** Watches the connection's end, or the send of our frames. */
    private final class Watcher extends EndSubscriber {
        private final boolean send;

        Watcher(boolean send) {
            this.send = send;
        }

        @Override
        protected void ended(Throwable error) {
            if (!send) {
                connectionGone();
            } else if (error != null) {
                outboundFailed(error);
            } else {
                outboundFlushed();
            }
        }
    }

    private static Logger log() {
        // Looked up on these rare paths rather than held in a static, so that a logger factory installed later
        // (reactor-test's capture, an application's own) still sees the line.
        return Loggers.getLogger(WebSocketSession.class);
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + lower.info().id() + ", " + role + ", " + version
                + (subprotocol != null ? ", " + subprotocol : "") + (deflate != null ? ", permessage-deflate" : "")
                + "]";
    }
}
