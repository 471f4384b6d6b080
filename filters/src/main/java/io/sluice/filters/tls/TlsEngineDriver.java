package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.netty.util.internal.ThreadExecutorMap;
import io.sluice.api.BufferDiscard;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionClosedException;
import io.sluice.api.ConnectionInfo;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLSession;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;

/**
 * Drives one {@link SSLEngine} over one lower connection: the state machine of a TLS connection.
 *
 * <p>Every signal (bytes from the lower connection, demand from either side, the application's sends and close,
 * a delegated task done, a timer) is recorded by the part it concerns and wakes one drain loop (a work-in-progress
 * counter, no lock), which alone touches the engine and the buffers. The parts: {@link CipherInbound} (the lower
 * connection's bytes and records), {@link RecordStream} (the one stream given to the lower connection's
 * {@code send}), {@link PlaintextReceiver} (the upper {@code receive()}) and {@link PlaintextSends} (the upper
 * sends), with {@link EngineIo} for the engine calls and their buffers.
 *
 * <p>Phases: {@code HANDSHAKING} until the engine says the handshake has finished, then {@code OPEN}, then
 * {@code CLOSED} through {@link #terminate}, the one exit, which releases everything, ends both upper streams and
 * lets the last records (an alert, a {@code close_notify}) go out before the lower connection is closed.
 * Delegated tasks run on the settings' scheduler; while one runs, the loop leaves the engine alone. When the filter
 * is applied on a Netty event loop (as the runtime does), work after a task or a timer resumes on that loop, so
 * that in production all buffer work stays on the connection's thread.
 */
final class TlsEngineDriver {

    private enum Phase { HANDSHAKING, OPEN, CLOSED }

    private static final AtomicIntegerFieldUpdater<TlsEngineDriver> WIP =
            AtomicIntegerFieldUpdater.newUpdater(TlsEngineDriver.class, "wip");
    /** Ciphertext decrypted into one buffer for the application, at most. */
    private static final int MAX_DECRYPT_BATCH = EngineIo.MAX_RECORDS_PER_BUFFER * (EngineIo.MAX_PLAINTEXT + 256);
    /** Wraps of a closing engine, at most: an alert and a close_notify are all it ever has to say. */
    private static final int MAX_CLOSING_WRAPS = 4;

    private final Connection lower;
    private final SSLEngine engine;
    private final TlsDriverSettings settings;
    private final String id;
    private final EngineIo io;
    private final CipherInbound inbound;
    private final RecordStream outbound;
    private final PlaintextReceiver receiver;
    private final PlaintextSends sends;
    /** The event loop the filter was applied on, if any: where work resumes after a task or a timer. */
    private final Executor home;
    /** Application data taken from the current send and not yet all encrypted, while records are not wanted. */
    private final ParkedBuffer plain = new ParkedBuffer();

    private volatile int wip;
    private volatile ConnectionInfo info;
    private volatile boolean closeRequested;
    private volatile boolean handshakeTimedOut;
    private volatile boolean closeTimedOut;
    private volatile boolean lowerSendEnded;
    private volatile Throwable lowerSendError;
    private volatile boolean lowerClosed;
    private volatile boolean taskDone;
    private volatile Throwable taskError;

    // Owned by the drain loop.
    private Phase phase = Phase.HANDSHAKING;
    private boolean handshakeBegun;
    private boolean taskRunning;
    /** Before TLS 1.3 a handshake record after the handshake starts a renegotiation, which is refused. */
    private boolean renegotiationPossible;
    private boolean closeOutboundCalled;
    private boolean outboundBroken;
    private Throwable terminalError;
    private Disposable handshakeTimer;
    private Disposable closeTimer;
    private boolean lowerCloseCalled;
    private boolean engineReleased;

    TlsEngineDriver(Connection lower, SSLEngine engine, TlsDriverSettings settings) {
        this.lower = lower;
        this.engine = engine;
        this.settings = settings;
        this.id = lower.info().id();
        this.io = new EngineIo(engine, lower.budget().allocator());
        this.inbound = new CipherInbound(this, io);
        this.outbound = new RecordStream(this);
        this.receiver = new PlaintextReceiver(this);
        this.sends = new PlaintextSends(this);
        this.home = ThreadExecutorMap.currentExecutor();
    }

    /** Starts the handshake: subscribes to the lower connection both ways and arms the handshake timer. */
    void start() {
        long timeout = settings.handshakeTimeout().toMillis();
        handshakeTimer = Schedulers.parallel().schedule(() -> {
            handshakeTimedOut = true;
            resume();
        }, timeout, TimeUnit.MILLISECONDS);
        lower.onClose().subscribe(null, e -> lowerClosed(), this::lowerClosed);
        lower.send(outbound).subscribe(new LowerSendWatcher());
        lower.receive().subscribe(inbound);
        drain();
    }

    String id() {
        return id;
    }

    /** The lower connection's info, with the session and ALPN protocol once the handshake has completed. */
    ConnectionInfo info() {
        ConnectionInfo upgraded = info;
        return upgraded != null ? upgraded : lower.info();
    }

    Flux<ByteBuf> receive() {
        return receiver;
    }

    Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return sends.send(data);
    }

    /** Sends close_notify after the sends already queued, then closes the lower connection. */
    void close() {
        if (!closeRequested) {
            sends.refuseNew(new ConnectionClosedException("connection " + id + " is closed"));
            closeRequested = true;
            drain();
        }
    }

    private void lowerClosed() {
        lowerClosed = true;
        plain.close();
        drain();
    }

    /** The lower connection takes no more records (it cancelled the stream, or its send failed). Any thread. */
    void recordsRefused() {
        plain.close();
        drain();
    }

    /** Drains on the connection's event loop when there is one (after a task or a timer), else right here. */
    private void resume() {
        Executor loop = home;
        if (loop == null) {
            drain();
            return;
        }
        try {
            loop.execute(this::drain);
        } catch (RejectedExecutionException shutDown) {
            drain();
        }
    }

    void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            try {
                drainLoop();
            } catch (RuntimeException | Error e) {
                unexpected(e);
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainLoop() {
        for (;;) {
            if (phase == Phase.CLOSED) {
                afterTermination();
                return;
            }
            inbound.take();
            if (interrupted()) {
                continue;
            }
            if (taskRunning) {
                if (!taskDone) {
                    return;
                }
                taskRunning = false;
                if (taskError != null) {
                    fail(taskError);
                    continue;
                }
            }
            boolean progress;
            try {
                progress = closeStep() || (phase == Phase.HANDSHAKING ? handshakeStep() : openStep());
            } catch (SSLException | RuntimeException e) {
                fail(e);
                continue;
            }
            outbound.flush();
            receiver.flush();
            if (!progress) {
                return;
            }
        }
    }

    /** Timers and the lower connection's end, checked before any engine work; true when the phase changed. */
    private boolean interrupted() {
        if (!outboundBroken && (outbound.cancelled() || lowerSendEnded)) {
            breakOutbound();
        }
        Throwable lowerError = inbound.error();
        if (lowerError != null) { // a reset: nothing more will come, and what came is gone
            terminateQuietly(lowerError);
            return true;
        }
        if (lowerClosed) {
            terminateQuietly(new ConnectionClosedException("connection " + id + " closed"));
            return true;
        }
        if (outboundBroken && (closeRequested || receiver.ended() || inbound.disposed()
                || phase == Phase.OPEN && receiver.cancelled())) {
            terminateQuietly(lowerSendFailure());
            return true;
        }
        if (handshakeTimedOut && phase == Phase.HANDSHAKING) {
            fail(new TlsHandshakeException("TLS handshake not completed within "
                    + settings.handshakeTimeout().toMillis() + " ms", null));
            return true;
        }
        if (closeTimedOut) {
            debug("close not finished within {} ms, closing the connection",
                    settings.closeNotifyTimeout().toMillis());
            terminate(null);
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- handshake

    private boolean handshakeStep() throws SSLException {
        HandshakeStatus status = handshakeBegun ? engine.getHandshakeStatus()
                : engine.getUseClientMode() ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NEED_UNWRAP;
        switch (status) {
            case NEED_TASK:
                return runTasks();
            case NEED_WRAP:
                if (outboundBroken) {
                    terminateQuietly(lowerSendFailure());
                    return true;
                }
                EngineIo.Wrapped wrapped = io.wrapControl();
                queue(wrapped);
                if (wrapped.result().getStatus() == Status.CLOSED) {
                    fail(new TlsHandshakeException("the TLS engine closed during the handshake", null));
                    return true;
                }
                handshakeProgress(wrapped.result());
                return true;
            case NEED_UNWRAP:
            case NEED_UNWRAP_AGAIN:
                return unwrapHandshake();
            default:
                handshakeDone();
                return true;
        }
    }

    private boolean unwrapHandshake() throws SSLException {
        int length = inbound.nextRecordLength();
        if (length == 0) {
            if (inbound.ended()) {
                endOfInputDuringHandshake();
                return true;
            }
            inbound.request();
            return false;
        }
        ByteBuf records = inbound.cumulation();
        SSLEngineResult result = io.unwrap(records, length, null);
        if (result.getStatus() == Status.BUFFER_OVERFLOW) {
            result = unwrapEarlyData(records, length);
        }
        inbound.consumed();
        if (result.getStatus() == Status.BUFFER_UNDERFLOW) {
            return underflow();
        }
        if (result.getStatus() == Status.CLOSED) {
            fail(new TlsHandshakeException("the peer closed the TLS session during the handshake", null));
            return true;
        }
        if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                && result.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
            return underflow();
        }
        handshakeProgress(result);
        return true;
    }

    /** Application data that came with the handshake's last message: it waits for the application. */
    private SSLEngineResult unwrapEarlyData(ByteBuf records, int length) throws SSLException {
        ByteBuf out = io.allocate(io.applicationSize());
        try {
            SSLEngineResult result = io.unwrap(records, length, out);
            if (out.isReadable()) {
                receiver.deliver(out);
                out = null;
            }
            return result;
        } finally {
            if (out != null) {
                out.release();
            }
        }
    }

    private void handshakeProgress(SSLEngineResult result) {
        if (phase != Phase.HANDSHAKING) {
            return;
        }
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshakeDone();
        } else if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
            handshakeBegun = true;
        } else if (handshakeBegun) {
            handshakeDone(); // engines that go straight to NOT_HANDSHAKING without saying FINISHED
        }
    }

    private void handshakeDone() {
        phase = Phase.OPEN;
        handshakeTimer.dispose();
        SSLSession session = engine.getSession();
        String protocol = session.getProtocol();
        renegotiationPossible = !"TLSv1.3".equals(protocol);
        ConnectionInfo upgraded = lower.info().with(Tls.SESSION, session);
        String alpn = applicationProtocol();
        if (alpn != null && !alpn.isEmpty()) {
            upgraded = upgraded.with(Tls.APPLICATION_PROTOCOL, alpn);
        }
        info = upgraded;
        debug("TLS handshake done: {} {}{}", protocol, session.getCipherSuite(),
                alpn != null && !alpn.isEmpty() ? ", ALPN " + alpn : "");
    }

    private String applicationProtocol() {
        try {
            return engine.getApplicationProtocol();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private void endOfInputDuringHandshake() {
        Throwable error = inbound.error();
        if (error != null) {
            terminateQuietly(error);
        } else {
            terminateQuietly(new TlsHandshakeException(
                    "the peer closed the connection during the TLS handshake", closeInbound()));
        }
    }

    // ---------------------------------------------------------------- open

    private boolean openStep() throws SSLException {
        if (outboundBroken && !sends.idle()) {
            sends.failAll(new ConnectionClosedException("connection " + id + " can no longer send"));
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_TASK) {
            return runTasks();
        }
        if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
            afterWrap(io.wrapControl());
            return true;
        }
        boolean read = readStep();
        boolean wrote = writeStep();
        return read || wrote;
    }

    private boolean readStep() throws SSLException {
        if (inbound.disposed() || receiver.ended()) {
            return false;
        }
        if (receiver.cancelled()) {
            inbound.dispose(); // after the handshake, nobody wants the bytes any more
            return false;
        }
        if (!receiver.wantsData()) {
            return false;
        }
        int length = inbound.nextRecordLength();
        if (length == 0) {
            if (inbound.ended()) {
                endOfInput();
                return true;
            }
            inbound.request();
            return false;
        }
        if (renegotiation()) {
            fail(new SSLProtocolException("TLS renegotiation refused: the peer sent a handshake message after "
                    + "the handshake"));
            return true;
        }
        decrypt();
        return true;
    }

    private boolean renegotiation() {
        return renegotiationPossible && TlsRecords.contentType(inbound.cumulation()) == TlsRecords.HANDSHAKE;
    }

    /** Decrypts the whole records held, up to a batch, into one buffer for the application. */
    private void decrypt() throws SSLException {
        ByteBuf out = io.allocate(Math.max(inbound.nextRecordLength(),
                inbound.wholeRecordBytes(MAX_DECRYPT_BATCH)));
        boolean closed = false;
        long consumed = 0;
        try {
            for (;;) {
                int length = inbound.nextRecordLength();
                if (length == 0 || out.isReadable() && (length > out.writableBytes() || renegotiation())) {
                    break;
                }
                SSLEngineResult result = io.unwrap(inbound.cumulation(), length, out);
                consumed += result.bytesConsumed();
                Status status = result.getStatus();
                if (status == Status.BUFFER_OVERFLOW) {
                    if (out.isReadable()) {
                        break;
                    }
                    out = io.grow(out, Math.max(io.applicationSize(), out.capacity() * 2));
                    continue;
                }
                if (status == Status.BUFFER_UNDERFLOW) {
                    underflow();
                    break;
                }
                if (status == Status.CLOSED) {
                    closed = true;
                    break;
                }
                if (result.bytesConsumed() == 0) {
                    if (consumed == 0 && !out.isReadable()) {
                        underflow(); // the engine took nothing: it wants more than the record held
                    }
                    break;
                }
                HandshakeStatus hs = result.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
                    break; // a post-handshake message wants an answer first
                }
            }
        } catch (SSLException | RuntimeException e) {
            out.release();
            throw e;
        } finally {
            inbound.consumed();
        }
        if (out.isReadable()) {
            receiver.deliver(out);
        } else {
            out.release();
        }
        if (closed) {
            debug("the peer sent close_notify");
            receiver.end(null);
        }
    }

    /** The engine needs more bytes than the held record: wait for them, unless they can no longer be TLS. */
    private boolean underflow() throws SSLException {
        if (inbound.heldBytes() > io.packetSize()) {
            throw new SSLException("not a TLS record: " + inbound.heldBytes() + " bytes the engine cannot read");
        }
        inbound.underflow();
        inbound.request();
        return false;
    }

    /** The lower connection ended and no whole record is left. */
    private void endOfInput() {
        Throwable error = inbound.error();
        if (error != null) {
            terminateQuietly(error);
            return;
        }
        fail(new TlsTruncationException("TLS truncation: connection " + id
                + " ended without the peer's close_notify", closeInbound()));
    }

    private SSLException closeInbound() {
        try {
            engine.closeInbound();
            return null;
        } catch (SSLException e) {
            return e;
        }
    }

    private boolean writeStep() throws SSLException {
        if (closeOutboundCalled || outboundBroken) {
            return false;
        }
        boolean progress = false;
        ByteBuf data = plain.take();
        if (data == null) {
            data = sends.poll(outbound.wantsData());
            if (data == null) {
                return false;
            }
            progress = true;
        }
        if (!outbound.wantsData()) {
            plain.park(data);
            return progress;
        }
        EngineIo.Wrapped wrapped;
        try {
            wrapped = io.wrapData(data);
        } catch (SSLException | RuntimeException e) {
            data.release();
            throw e;
        }
        if (data.isReadable()) {
            plain.park(data);
        } else {
            data.release();
        }
        afterWrap(wrapped);
        return true;
    }

    /** Queues what a wrap produced; when the engine's outbound side is done, the connection ends. */
    private void afterWrap(EngineIo.Wrapped wrapped) {
        queue(wrapped);
        if (engine.isOutboundDone()) {
            terminate(null);
        }
    }

    private void queue(EngineIo.Wrapped wrapped) {
        if (wrapped.records() != null) {
            outbound.offer(wrapped.records());
        }
    }

    // ---------------------------------------------------------------- engine calls shared by both phases

    private boolean runTasks() {
        java.util.List<Runnable> tasks = new java.util.ArrayList<>(2);
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        if (tasks.isEmpty()) {
            return false;
        }
        taskRunning = true;
        taskDone = false;
        taskError = null;
        try {
            settings.delegatedTaskScheduler().schedule(() -> {
                try {
                    for (Runnable t : tasks) {
                        t.run();
                    }
                } catch (RuntimeException | Error e) {
                    taskError = e;
                } finally {
                    taskDone = true;
                    resume();
                }
            });
        } catch (RuntimeException rejected) {
            taskError = rejected;
            taskDone = true;
        }
        return true;
    }

    // ---------------------------------------------------------------- closing

    /**
     * A close the application asked for: once the queued sends are done (or at once during a handshake nothing
     * waits for), {@code close_notify}, then the end. True when it did something.
     */
    private boolean closeStep() throws SSLException {
        if (!closeRequested) {
            return false;
        }
        if (closeTimer == null) {
            closeTimer = startCloseTimer();
        }
        if (!sends.idle() || !plainDone()) {
            return false;
        }
        if (outboundBroken) {
            terminate(null);
            return true;
        }
        if (!closeOutboundCalled) {
            closeOutboundCalled = true;
            engine.closeOutbound();
        }
        wrapWhatIsLeft();
        terminate(null);
        return true;
    }

    /** Wraps what a closed engine still has to say (an alert, close_notify) into the outbound stream. */
    private void wrapWhatIsLeft() throws SSLException {
        for (int i = 0; i < MAX_CLOSING_WRAPS; i++) {
            EngineIo.Wrapped wrapped = io.wrapControl();
            if (wrapped.records() == null) {
                return;
            }
            queue(wrapped);
        }
    }

    private Disposable startCloseTimer() {
        return Schedulers.parallel().schedule(() -> {
            closeTimedOut = true;
            resume();
        }, settings.closeNotifyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private Throwable lowerSendFailure() {
        Throwable cause = lowerSendError;
        return cause != null ? cause : new ConnectionClosedException("connection " + id + " can no longer send");
    }

    /**
     * The lower connection no longer takes our records: sends fail; reading goes on until it ends too, or the
     * engine needs to send, so that a peer's last words (an alert during the handshake, data) are still heard.
     */
    private void breakOutbound() {
        outboundBroken = true;
        outbound.dispose();
        if (phase == Phase.OPEN) { // during the handshake, waiting sends learn how it failed
            Throwable cause = lowerSendError;
            sends.failAll(new ConnectionClosedException("connection " + id + " closed before the send finished"
                    + (cause != null ? ": " + cause.getMessage() : "")));
            plain.close();
        }
    }

    /**
     * A failure: one WARN line, the engine's alert (if it made one) flushed to the peer, then the end. During the
     * handshake the application sees a {@link TlsHandshakeException}.
     */
    private void fail(Throwable cause) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean handshaking = phase == Phase.HANDSHAKING;
        Logger log = Loggers.getLogger(Tls.class);
        log.warn("connection {}: TLS {} failed, closing: {}", id, handshaking ? "handshake" : "session",
                describe(cause));
        if (!taskRunning && !outboundBroken) {
            try {
                engine.closeOutbound();
                wrapWhatIsLeft();
            } catch (SSLException | RuntimeException e) {
                debug("no alert could be sent: {}", e.toString());
            }
        }
        terminate(handshaking ? asHandshakeFailure(cause) : cause);
    }

    /** An end that is not a TLS failure (the connection was reset, closed or ended): logged at debug only. */
    private void terminateQuietly(Throwable cause) {
        debug("closing: {}", cause.toString());
        terminate(phase == Phase.HANDSHAKING ? asHandshakeFailure(cause) : cause);
    }

    /**
     * The one exit: ends the upper streams (with {@code error}, or normally), fails what is pending, releases what
     * is held, and lets the outbound stream finish so that the last records go out before the lower connection is
     * closed (when the lower send completes, or the close timer runs out).
     */
    private void terminate(Throwable error) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        handshakeTimer.dispose();
        terminalError = error != null ? error : new ConnectionClosedException("connection " + id + " is closed");
        if (closeRequested) {
            receiver.discard();
        }
        receiver.end(error);
        sends.failAll(terminalError);
        plain.close();
        inbound.dispose();
        outbound.complete();
        if (closeTimer == null) {
            closeTimer = startCloseTimer();
        }
        afterTermination();
    }

    /** After the end: late signals are answered, late buffers released, and the lower connection closed. */
    private void afterTermination() {
        inbound.take();
        outbound.flush();
        receiver.flush();
        sends.failAll(terminalError);
        if (taskRunning && taskDone) {
            taskRunning = false;
        }
        if (!taskRunning && !engineReleased) {
            engineReleased = true;
            if (engine instanceof ReferenceCounted counted) {
                counted.release();
            }
        }
        if (!lowerCloseCalled && (lowerSendEnded || closeTimedOut || outbound.cancelled() || lowerClosed)) {
            lowerCloseCalled = true;
            closeTimer.dispose();
            outbound.dispose(); // records still queued will never go out: released before the budget is checked
            lower.close();
        }
    }

    /** True when no application data waits to be encrypted (a look that leaves it parked). */
    private boolean plainDone() {
        ByteBuf data = plain.take();
        if (data == null) {
            return true;
        }
        plain.park(data);
        return false;
    }

    private void unexpected(Throwable e) {
        if (phase != Phase.CLOSED) {
            fail(e);
        } else {
            Loggers.getLogger(Tls.class).error("connection " + id + ": unexpected error after close", e);
        }
    }

    private static Throwable asHandshakeFailure(Throwable cause) {
        if (cause instanceof TlsHandshakeException) {
            return cause;
        }
        return new TlsHandshakeException("TLS handshake failed: " + cause.getMessage(), cause);
    }

    private static String describe(Throwable cause) {
        StringBuilder sb = new StringBuilder(cause.toString());
        Throwable root = cause.getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != null && !cause.toString().contains(String.valueOf(root.getMessage()))) {
            sb.append(" (cause: ").append(root).append(')');
        }
        return sb.toString();
    }

    private void debug(String format, Object... args) {
        Logger log = Loggers.getLogger(Tls.class);
        if (log.isDebugEnabled()) {
            Object[] all = new Object[args.length + 1];
            all[0] = id;
            System.arraycopy(args, 0, all, 1, args.length);
            log.debug("connection {}: " + format, all);
        }
    }

    @Override
    public String toString() {
        return "TLS connection " + id;
    }

    /** Watches the lower connection's send of the record stream. */
    private final class LowerSendWatcher implements CoreSubscriber<Void> {
        private final Context context = BufferDiscard.enable(Context.empty());

        @Override
        public Context currentContext() {
            return context;
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Void unused) {
        }

        @Override
        public void onError(Throwable t) {
            lowerSendError = t;
            lowerSendEnded = true;
            recordsRefused();
        }

        @Override
        public void onComplete() {
            lowerSendEnded = true;
            drain();
        }
    }
}
