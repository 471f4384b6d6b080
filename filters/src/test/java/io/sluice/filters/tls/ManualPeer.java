package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.sluice.api.pipe.Pipe;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;

/**
 * A TLS peer nobody would ship: an {@link SSLEngine} driven by hand, step by step, on the test's thread, over the
 * raw end of a pipe. It can do what the driver never does (renegotiate, stop in the middle of a record, close
 * without {@code close_notify}) and shows exactly what the driver sent. Buffers received from the pipe are copied
 * and released at once; buffers sent are allocated on the end's budget and owned by the pipe.
 */
final class ManualPeer {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] END = new byte[0];

    private final Pipe.End end;
    private final SSLEngine engine;
    private final LinkedBlockingQueue<byte[]> arrivals = new LinkedBlockingQueue<>();
    private ByteBuffer in = ByteBuffer.allocate(0);
    private boolean ended;
    /** Bytes to send in one write later, while not null. */
    private ByteArrayOutputStream held;
    /** Every record header byte received, in order: the content types of the records the driver sent. */
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();

    ManualPeer(Pipe.End end, SSLEngine engine) {
        this.end = end;
        this.engine = engine;
        end.receive().subscribe(b -> {
            try {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                arrivals.add(bytes);
            } finally {
                b.release();
            }
        }, e -> arrivals.add(END), () -> arrivals.add(END));
    }

    SSLEngine engine() {
        return engine;
    }

    /** Runs the handshake to its end. */
    void handshake() throws Exception {
        engine.beginHandshake();
        runHandshake();
    }

    /**
     * A TLS 1.3 client's handshake whose last flight goes out in one write with a close_notify after it, as a client
     * that closes at once may send them: the peer reads the end of the handshake and the end of the session together.
     */
    void handshakeThenCloseInOneWrite() throws Exception {
        engine.beginHandshake();
        flushWraps(); // the ClientHello; a TLS 1.3 client sends nothing else until its last flight
        held = new ByteArrayOutputStream();
        runHandshake();
        closeOutbound();
        byte[] together = held.toByteArray();
        held = null;
        sendRaw(together);
    }

    /** Asks for a new handshake (a renegotiation in TLS 1.2) and sends what the engine says. */
    void startRenegotiation() throws Exception {
        engine.beginHandshake();
        flushWraps();
    }

    private void runHandshake() throws Exception {
        for (;;) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> flushWraps();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult result = unwrapOne(ByteBuffer.allocate(64 * 1024));
                    if (result == null) {
                        throw new SSLException("the connection ended during the handshake");
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Wraps {@code data} into records and sends them. */
    void send(byte[] data) throws Exception {
        sendRaw(wrap(data));
    }

    /** The records {@code data} encrypts to, not sent. */
    byte[] wrap(byte[] data) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            ByteBuffer dst = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(src, dst);
            out.write(dst.array(), 0, dst.position());
        } while (src.hasRemaining());
        return out.toByteArray();
    }

    /** Sends {@code bytes} as they are, one write (or holds them for a later one). */
    void sendRaw(byte[] bytes) {
        if (held != null) {
            held.writeBytes(bytes);
            return;
        }
        ByteBuf buf = end.budget().allocator().buffer(bytes.length).writeBytes(bytes);
        end.send(Mono.just(buf)).block(WAIT);
    }

    /** Sends close_notify. */
    void closeOutbound() throws Exception {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            wrapOnce();
        }
    }

    /** Decrypts until {@code n} bytes of application data have arrived. */
    byte[] receive(int n) throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (data.size() < n) {
            ByteBuffer dst = ByteBuffer.allocate(64 * 1024);
            SSLEngineResult result = unwrapOne(dst);
            if (result == null) {
                throw new SSLException("the connection ended after " + data.size() + " of " + n + " bytes");
            }
            data.write(dst.array(), 0, dst.position());
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
        }
        return data.toByteArray();
    }

    /**
     * Reads to the end of what the driver sends, decrypting: the engine's status at the end, CLOSED once the
     * driver's close_notify (or alert) was read; null if the connection ended first.
     */
    SSLEngineResult.Status readToEnd() throws Exception {
        for (;;) {
            SSLEngineResult result = unwrapOne(ByteBuffer.allocate(64 * 1024));
            if (result == null) {
                return null;
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                return result.getStatus();
            }
        }
    }

    /** Waits until at least {@code n} bytes have arrived (not decrypted). */
    void awaitBytes(int n) throws InterruptedException {
        while (in.remaining() < n) {
            if (!readMore()) {
                throw new IllegalStateException("the connection ended before " + n + " bytes arrived");
            }
        }
    }

    /** Waits until the driver's side of the pipe has ended, discarding what arrives; true if it did in time. */
    boolean awaitEnd() throws InterruptedException {
        while (!ended) {
            byte[] next = arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                return false;
            }
            if (next == END) {
                ended = true;
            } else {
                raw.writeBytes(next);
            }
        }
        return true;
    }

    /** All bytes received and not consumed by the engine, plus those seen by {@link #awaitEnd()}. */
    byte[] rawReceived() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(in.array(), in.arrayOffset() + in.position(), in.remaining());
        all.writeBytes(raw.toByteArray());
        return all.toByteArray();
    }

    /** Sends what the engine has to send while it asks to wrap. */
    private void flushWraps() throws Exception {
        for (;;) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            if (status != HandshakeStatus.NEED_WRAP) {
                return;
            }
            if (wrapOnce().getStatus() == SSLEngineResult.Status.CLOSED) {
                return;
            }
        }
    }

    private SSLEngineResult wrapOnce() throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), dst);
        if (dst.position() > 0) {
            sendRaw(Arrays.copyOf(dst.array(), dst.position()));
        }
        return result;
    }

    /** One unwrap of the bytes received, reading more when the engine needs them; null at the end of input. */
    private SSLEngineResult unwrapOne(ByteBuffer dst) throws Exception {
        for (;;) {
            if (in.hasRemaining()) {
                SSLEngineResult result = engine.unwrap(in, dst);
                if (result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    return result;
                }
            }
            if (!readMore()) {
                return null;
            }
        }
    }

    private boolean readMore() throws InterruptedException {
        if (ended) {
            return false;
        }
        byte[] next = arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new IllegalStateException("nothing arrived within " + WAIT);
        }
        if (next == END) {
            ended = true;
            return false;
        }
        ByteBuffer merged = ByteBuffer.allocate(in.remaining() + next.length);
        merged.put(in).put(next).flip();
        in = merged;
        return true;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
