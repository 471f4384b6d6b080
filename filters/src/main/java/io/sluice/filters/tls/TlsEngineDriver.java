package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.netty.util.internal.ThreadExecutorMap;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionClosedException;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.operator.EndSubscriber;
import io.sluice.api.timer.LoopScheduler;
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
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Drives one {@link SSLEngine} over one lower connection: the state machine of a TLS connection.
 *
 * <p>Every signal (bytes from the lower connection, demand from either side, the application's sends and close,
 * a delegated task done, a timer) is recorded by the part it concerns and wakes one drain loop (a work-in-progress
 * counter, no lock), which alone touches the engine and the buffers. The parts: {@link CipherInbound} (the lower
 * connection's bytes and records), {@link RecordStream} (the one stream given to the lower connection's
 * {@code send}), {@link PlaintextReceiver} (the upper {@code receive()}) and {@link PlaintextSends} (the upper
 * sends), with {@link EngineIo} for the engine calls and their buffers, {@link Decryptor} for unwrapping records
 * and {@link DelegatedTasks} for the engine's slow work.
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
    /** Wraps of a closing engine, at most: an alert and a close_notify are all it ever has to say. */
    private static final int MAX_CLOSING_WRAPS = 4;
    /** Wraps in one step of the handshake, at most (a flight of handshake messages, or an alert and its error). */
    private static final int MAX_HANDSHAKE_WRAPS = 8;

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
    /** The handshake and close_notify timers: on {@link #home} when there is one (see {@link LoopScheduler}). */
    private final Scheduler timers;
    private final Decryptor decryptor;
    private final DelegatedTasks tasks;
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

    // Owned by the drain loop.
    private Phase phase = Phase.HANDSHAKING;
    private boolean handshakeBegun;
    /** The engine read a handshake record or finished a task since it was last asked: see {@link #settled()}. */
    private boolean engineMayHaveMoved;
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
        this.timers = LoopScheduler.of(home);
        this.decryptor = new Decryptor(io, inbound, receiver);
        this.tasks = new DelegatedTasks(settings.delegatedTaskScheduler(), this::resume);
    }

    /** Starts the handshake: subscribes to the lower connection both ways and arms the handshake timer. */
    void start() {
        handshakeTimer = timers.schedule(() -> {
            handshakeTimedOut = true;
            resume();
        }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        lower.onClose().subscribe(EndSubscriber.calling(this::lowerClosed));
        lower.send(outbound).subscribe(EndSubscriber.calling(this::lowerSendEnded));
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

    /** The lower connection closed (how does not matter: nothing more comes from it, nothing more goes out). */
    private void lowerClosed(Throwable ignored) {
        lowerClosed = true;
        plain.close();
        drain();
    }

    /** The lower connection takes no more records (it cancelled the stream, or its send failed). Any thread. */
    void recordsRefused() {
        plain.close();
        drain();
    }

    private void lowerSendEnded(Throwable error) {
        lowerSendError = error;
        lowerSendEnded = true;
        if (error != null) {
            recordsRefused();
        } else {
            drain();
        }
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
            if (tasks.busy()) {
                if (!tasks.done()) {
                    return;
                }
                Throwable taskError = tasks.collect();
                if (taskError != null) {
                    fail(taskError);
                    continue;
                }
                engineMayHaveMoved = true;
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
            TlsLog.debug(id, "close not finished within {} ms, closing the connection",
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
                return tasks.start(engine);
            case NEED_WRAP:
                return wrapHandshake();
            case NEED_UNWRAP:
            case NEED_UNWRAP_AGAIN:
                return unwrapHandshake();
            default:
                handshakeDone();
                return true;
        }
    }

    /**
     * Wraps what the engine has to send. While a wrap's result says there is more, wraps again before anything
     * else: Netty's OpenSSL engine says so only in the result, after the alert that fails a handshake, and throws
     * the failure at the next wrap; flushed first, the alert could close the peer and the failure never be heard.
     */
    private boolean wrapHandshake() throws SSLException {
        if (outboundBroken) {
            terminateQuietly(lowerSendFailure());
            return true;
        }
        boolean produced = false;
        for (int i = 0; i < MAX_HANDSHAKE_WRAPS; i++) {
            EngineIo.Wrapped wrapped = io.wrapControl();
            queue(wrapped);
            if (wrapped.result().getStatus() == Status.CLOSED) {
                fail(new TlsHandshakeException("the TLS engine closed during the handshake", null));
                return true;
            }
            handshakeProgress(wrapped.result());
            produced |= wrapped.records() != null;
            if (wrapped.records() == null || phase != Phase.HANDSHAKING
                    || wrapped.result().getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        // An engine that asks to wrap and produces nothing would spin the loop: wait for a signal instead.
        return produced || phase != Phase.HANDSHAKING || engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
    }

    private boolean unwrapHandshake() throws SSLException {
        int length = inbound.nextRecordLength();
        if (length == 0) {
            if (inbound.ended()) {
                endOfInputDuringHandshake();
                return true;
            }
            if (settled()) {
                return true;
            }
            inbound.request();
            return false;
        }
        SSLEngineResult result = decryptor.handshakeRecord(length);
        if (result == null) {
            return false;
        }
        if (result.getStatus() == Status.CLOSED) {
            if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                // Netty's OpenSSL engine reports a handshake it finished earlier along with the peer's close_notify
                handshakeDone();
                TlsLog.debug(id, "the peer sent close_notify");
                receiver.end(null);
            } else {
                fail(new TlsHandshakeException("the peer closed the TLS session during the handshake", null));
            }
            return true;
        }
        handshakeProgress(result);
        engineMayHaveMoved = result.bytesConsumed() > 0;
        return true;
    }

    /**
     * Whether an engine that asks for bytes while none are held really needs them. Netty's OpenSSL engine moves its
     * handshake on inside a call (after reading a record, after a delegated task) but reports where it got to only
     * at its next call, asking to unwrap meanwhile: once after each such step it is asked again, with nothing, so
     * that it says it is done or has something to send instead of waiting for bytes that may never come. The
     * other engines answer {@code BUFFER_UNDERFLOW}. True when the engine moved on.
     */
    private boolean settled() throws SSLException {
        if (!engineMayHaveMoved) {
            return false;
        }
        engineMayHaveMoved = false;
        handshakeProgress(io.unwrapNothing());
        return phase != Phase.HANDSHAKING || engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP;
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
        cancelHandshakeTimer();
        SSLSession session = engine.getSession();
        String protocol = session.getProtocol();
        renegotiationPossible = !"TLSv1.3".equals(protocol);
        ConnectionInfo upgraded = lower.info().with(Tls.SESSION, session);
        String alpn = applicationProtocol();
        if (alpn != null && !alpn.isEmpty()) {
            upgraded = upgraded.with(Tls.APPLICATION_PROTOCOL, alpn);
        }
        info = upgraded;
        TlsLog.debug(id, "TLS handshake done: {} {}{}", protocol, session.getCipherSuite(),
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
            return tasks.start(engine);
        }
        if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
            EngineIo.Wrapped wrapped = io.wrapControl();
            afterWrap(wrapped);
            if (wrapped.records() != null || phase == Phase.CLOSED) {
                return true;
            }
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
        if (renegotiationPossible && decryptor.handshakeRecordNext()) {
            fail(new SSLProtocolException("TLS renegotiation refused: the peer sent a handshake message after "
                    + "the handshake"));
            return true;
        }
        if (decryptor.decrypt(renegotiationPossible)) {
            TlsLog.debug(id, "the peer sent close_notify");
            receiver.end(null);
        }
        return true;
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
        return timers.schedule(() -> {
            closeTimedOut = true;
            resume();
        }, settings.closeNotifyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Cancels the handshake timer and lets go of it: an open connection keeps nothing of it. */
    private void cancelHandshakeTimer() {
        Disposable timer = handshakeTimer;
        if (timer != null) {
            handshakeTimer = null;
            timer.dispose();
        }
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
        TlsLog.failure(id, handshaking, cause);
        if (!tasks.busy() && !outboundBroken) {
            try {
                engine.closeOutbound();
                wrapWhatIsLeft();
            } catch (SSLException | RuntimeException e) {
                TlsLog.debug(id, "no alert could be sent: {}", e.toString());
            }
        }
        terminate(handshaking ? TlsLog.handshakeFailure(cause) : cause);
    }

    /** An end that is not a TLS failure (the connection was reset, closed or ended): logged at debug only. */
    private void terminateQuietly(Throwable cause) {
        TlsLog.debug(id, "closing: {}", cause.toString());
        terminate(phase == Phase.HANDSHAKING ? TlsLog.handshakeFailure(cause) : cause);
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
        cancelHandshakeTimer();
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
        if (tasks.busy() && tasks.done()) {
            tasks.collect();
        }
        if (!tasks.busy() && !engineReleased) {
            engineReleased = true;
            if (engine instanceof ReferenceCounted counted) {
                counted.release();
            }
        }
        if (!lowerCloseCalled && sends.settled()
                && (lowerSendEnded || closeTimedOut || outbound.cancelled() || lowerClosed)) {
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
            TlsLog.unexpectedAfterClose(id, e);
        }
    }

    @Override
    public String toString() {
        return "TLS connection " + id;
    }
}
