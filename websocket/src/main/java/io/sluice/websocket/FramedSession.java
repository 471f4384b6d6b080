package io.sluice.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
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
 */
final class FramedSession implements WebSocketSession, InboundMessages.Events {

    private final Connection lower;
    private final WebSocketRole role;
    private final WebSocketVersion version;
    private final String subprotocol;
    private final PerMessageDeflate deflate;
    private final WebSocketSettings settings;
    private final InboundMessages inbound;
    private final OutboundFrames outbound;
    private final KeepAlive keepAlive;

    private final AtomicBoolean closeQueued = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Sinks.One<CloseStatus> statusReceived = Sinks.one();
    private final Sinks.One<CloseStatus> statusSent = Sinks.one();
    private volatile CloseStatus received;
    private volatile CloseStatus sent;
    private volatile boolean failed;
    private volatile boolean flushed;
    private volatile Disposable closeTimer;

    private FramedSession(Connection lower, WebSocketRole role, WebSocketVersion version, String subprotocol,
                          PerMessageDeflate deflate, WebSocketSettings settings, IntSupplier maskKeys) {
        this.lower = lower;
        this.role = role;
        this.version = version;
        this.subprotocol = subprotocol;
        this.deflate = deflate;
        this.settings = settings;
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
            int ownWindow = server ? deflate.serverMaxWindowBits() : deflate.clientMaxWindowBits();
            if (ownWindow == 15) {
                // The JDK's deflater cannot use a smaller window; uncompressed messages honour any agreement.
                deflater = new PerMessageDeflater(alloc,
                        server ? !deflate.serverNoContextTakeover() : !deflate.clientNoContextTakeover(),
                        settings.compressionLevel());
            }
        }
        this.inbound = new InboundMessages(lower, reader,
                new MessageAssembler(alloc, settings.maxMessageSize(), inflater), this);
        this.outbound = new OutboundFrames(writer, deflater, settings.compressionThreshold(), lower.info().id());
        this.keepAlive = settings.pingInterval().isZero() || !writer.supportsPing() ? null
                : new KeepAlive(settings.pingInterval(), settings.pongTimeout(), settings.scheduler(), alloc,
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
        lower.send(outbound).subscribe(null, this::outboundFailed, this::outboundFlushed);
        lower.onClose().subscribe(null, e -> connectionGone(), this::connectionGone);
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
        return statusReceived.asMono();
    }

    @Override
    public Mono<CloseStatus> closeStatusSent() {
        return statusSent.asMono();
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
        if (ended.get() || !closeQueued.compareAndSet(false, true)) {
            return;
        }
        sent = close == ClosePayload.NONE ? null : new CloseStatus(close.code(), close.reason());
        closeTimer = settings.scheduler().schedule(this::closeTimedOut, settings.closeTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        outbound.queueClose(close);
        inbound.closing();
    }

    private void outboundFlushed() {
        flushed = true;
        maybeEnd();
    }

    private void outboundFailed(Throwable error) {
        end();
    }

    private void closeTimedOut() {
        if (!ended.get()) {
            log().info("connection {}: WebSocket closing handshake not done within {}, dropping the connection",
                    lower.info().id(), settings.closeTimeout());
            end();
        }
    }

    private void connectionGone() {
        end();
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
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        Disposable timer = closeTimer;
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
        Mono.when(inbound.terminated(), outbound.terminated()).subscribe(null, null, this::ended);
    }

    private void ended() {
        lower.close();
        CloseStatus s = sent;
        if (s != null) {
            statusSent.tryEmitValue(s);
        } else {
            statusSent.tryEmitEmpty();
        }
        CloseStatus r = received;
        statusReceived.tryEmitValue(r != null ? r : CloseStatus.ABNORMAL_CLOSURE);
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
