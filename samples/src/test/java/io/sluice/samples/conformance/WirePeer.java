package io.sluice.samples.conformance;

import static io.sluice.samples.conformance.WireFrames.BINARY;
import static io.sluice.samples.conformance.WireFrames.CLOSE;
import static io.sluice.samples.conformance.WireFrames.CONTINUATION;
import static io.sluice.samples.conformance.WireFrames.PING;
import static io.sluice.samples.conformance.WireFrames.PONG;
import static io.sluice.samples.conformance.WireFrames.TEXT;
import static io.sluice.samples.conformance.WireFrames.closePayload;

import io.sluice.samples.conformance.WireFrames.Frame;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A WebSocket client written frame by frame over a plain blocking socket, to put a server through what a fuzzing
 * client does: any header bits, any opcode, masked payloads written whole or in chops with short pauses, frames
 * begun and finished later. A thread of its own reads what the server sends: it gathers messages, records pongs,
 * answers the server's close frame as a client does (echoing its code, then waiting for the server to drop TCP),
 * and notes anything a peer would reject.
 *
 * <p>The scenario runs on the test thread and ends with {@link #finish}, which closes when the expectation says the
 * peer closes, waits a bounded time for the server to drop the connection, and returns the {@link Outcome}.
 */
final class WirePeer implements AutoCloseable {

    /**
     * The longest any wait lasts: a server that is right answers in milliseconds, and every wait ends as soon as it
     * does, so the bound is generous for a loaded machine.
     */
    static final Duration WAIT = Duration.ofSeconds(10);

    /** The pause between chops: long enough for each to reach the server as a read of its own, mostly. */
    private static final long CHOP_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final Random masks = new Random(6455);
    /** Serializes the scenario's writes with the reader's close reply. */
    private final Object writeLock = new Object();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private Thread reader;

    private volatile boolean closeSent;
    private volatile boolean closedByPeer;
    private volatile boolean closeReceived;
    private volatile Integer serverCloseCode;
    private volatile boolean serverDroppedTcp;
    private volatile boolean gaveUp;
    private volatile String violation;
    /** Frames written while a batch is open, sent as one write by {@link #endBatch()}; test thread only. */
    private ByteArrayOutputStream batch;

    private WirePeer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects to 127.0.0.1:{@code port} and completes the opening handshake, offering no extension. */
    static WirePeer connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        WirePeer peer = new WirePeer(socket);
        try {
            peer.handshake(port);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        // Reads block from here on: the bounded waits are the test thread's.
        socket.setSoTimeout(0);
        peer.reader = new Thread(peer::readLoop, "wire-peer-reader");
        peer.reader.setDaemon(true);
        peer.reader.start();
        return peer;
    }

    private void handshake(int port) throws IOException {
        WireHandshake.Response response = WireHandshake.upgrade(out, in, port, null, masks);
        if (!response.switchesProtocols()) {
            throw new IllegalStateException("the server refused the upgrade: " + response.head());
        }
        String extensions = response.header("Sec-WebSocket-Extensions");
        if (extensions != null) {
            throw new IllegalStateException("the server accepted an extension nobody offered: " + extensions);
        }
    }

    // Writing.

    /** A final frame, written at once. */
    void frame(int opcode, byte[] payload) {
        frame(opcode, true, 0, payload, 0);
    }

    /**
     * A frame with the given header bits, masked with a fresh key; written in chops of {@code chop} bytes with a short
     * pause between them, or at once when {@code chop} is 0.
     */
    void frame(int opcode, boolean fin, int rsv, byte[] payload, int chop) {
        write(WireFrames.masked(opcode, fin, rsv, payload, masks), chop);
    }

    /** A message in frames of {@code fragmentSize} bytes (the last may be shorter), each written at once. */
    void message(int opcode, byte[] payload, int fragmentSize) {
        int from = 0;
        do {
            int to = Math.min(payload.length, from + fragmentSize);
            frame(from == 0 ? opcode : CONTINUATION, to == payload.length, 0,
                    Arrays.copyOfRange(payload, from, to), 0);
            from = to;
        } while (from < payload.length);
    }

    /** A text message in one frame. */
    void text(String text) {
        frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Begins a frame of {@code length} payload bytes whose payload {@link PartialFrame#part} writes later. */
    PartialFrame begin(int opcode, boolean fin, int length) {
        WireFrames.Masked frame = new WireFrames.Masked(opcode, fin, 0, length, masks);
        write(frame.header(), 0);
        return new PartialFrame(frame);
    }

    /**
     * Starts the closing handshake with a close frame carrying {@code payload} (a code and reason, or anything a
     * broken peer might send), unless the server's close came first.
     */
    void close(byte[] payload) {
        synchronized (writeLock) {
            if (closeSent || closeReceived) {
                return;
            }
            closeSent = true;
            closedByPeer = true;
            frame(CLOSE, payload);
        }
    }

    /** Starts the closing handshake with {@code code} and no reason. */
    void close(int code) {
        close(closePayload(code, new byte[0]));
    }

    /** From here until {@link #endBatch()}, unchopped frames are gathered, to reach the server in one read. */
    void beginBatch() {
        batch = new ByteArrayOutputStream();
    }

    void endBatch() {
        byte[] bytes = batch.toByteArray();
        batch = null;
        write(bytes, 0);
    }

    private void write(byte[] bytes, int chop) {
        if (Thread.currentThread() != reader && batch != null && chop <= 0) {
            batch.writeBytes(bytes);
            return;
        }
        synchronized (writeLock) {
            try {
                WireFrames.write(out, bytes, chop, CHOP_PAUSE_NANOS);
            } catch (IOException e) {
                // The server has dropped the connection, as it may after failing it: what was read is the outcome.
            }
        }
    }

    /** A frame whose header is written first and whose payload follows in parts, masked as one. */
    final class PartialFrame {
        private final WireFrames.Masked frame;

        private PartialFrame(WireFrames.Masked frame) {
            this.frame = frame;
        }

        /** Writes the next part of the payload at once. */
        void part(byte[] bytes) {
            write(frame.mask(bytes), 0);
        }
    }

    // Waiting.

    /**
     * Pauses for {@code pause}, or until the server closes; if it has not closed by then, records that the
     * connection was still open (as the suite does when its timer fires) and returns true; else returns false.
     */
    boolean pause(String tag, Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < deadline && !closeReceived && ended.getCount() > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (closeReceived || ended.getCount() == 0) {
            return false;
        }
        events.add(Event.stillOpen(tag));
        return true;
    }

    /**
     * Waits (bounded) until the events are {@code target}, or can no longer become it, or the server closed. The
     * suite's client starts its closing handshake at that moment.
     */
    void awaitEvents(List<Event> target) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && !closeReceived && ended.getCount() > 0) {
            List<Event> seen = List.copyOf(events);
            if (seen.size() >= target.size() && !target.isEmpty() || seen.equals(target)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Ends the scenario as the suite's client would: when the peer is the one to close, waits for the expected
     * events and closes with 1000; then waits (bounded) for the server to drop the connection, and drops it itself
     * if it does not.
     */
    Outcome finish(Expectation expected) throws InterruptedException {
        if (expected.closedByPeer()) {
            awaitEvents(expected.ok());
            close(1000);
        }
        if (!ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            gaveUp = true;
            close();
            ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        return new Outcome(List.copyOf(events), closedByPeer, serverCloseCode, closeSent && closeReceived,
                serverDroppedTcp, violation);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    // Reading, on the reader thread.

    private void readLoop() {
        ByteArrayOutputStream message = null;
        boolean messageIsText = false;
        try {
            for (Frame frame = WireFrames.read(in); frame != null; frame = WireFrames.read(in)) {
                int opcode = frame.opcode();
                boolean fin = frame.fin();
                byte[] payload = frame.payload();
                if (frame.rsv() != 0) {
                    violation("reserved bits set on a frame from the server");
                }
                if (closeReceived) {
                    violation("a frame after the server's close frame");
                }
                if (opcode >= CLOSE && (!fin || payload.length > 125)) {
                    violation("a fragmented or oversized control frame from the server");
                }
                switch (opcode) {
                    case TEXT, BINARY -> {
                        if (message != null) {
                            violation("a new message inside a fragmented one");
                        }
                        message = new ByteArrayOutputStream();
                        messageIsText = opcode == TEXT;
                        message.writeBytes(payload);
                    }
                    case CONTINUATION -> {
                        if (message == null) {
                            violation("a continuation frame without a message");
                            message = new ByteArrayOutputStream();
                        }
                        message.writeBytes(payload);
                    }
                    case PING -> {
                        events.add(Event.ping(payload));
                        frame(PONG, payload);
                    }
                    case PONG -> events.add(Event.pong(payload));
                    case CLOSE -> closeFrame(payload);
                    default -> violation("opcode " + opcode + " from the server");
                }
                if (fin && opcode <= BINARY && message != null) {
                    byte[] whole = message.toByteArray();
                    message = null;
                    if (messageIsText) {
                        checkUtf8(whole);
                        events.add(Event.text(whole));
                    } else {
                        events.add(Event.binary(whole));
                    }
                }
            }
        } catch (WireFrames.Unreadable e) {
            violation(e.getMessage());
        } catch (IOException e) {
            // Dropped inside a frame, or reset: the server dropped the connection. Our own close after giving up
            // is not a drop by it.
        } finally {
            serverDroppedTcp = !gaveUp;
            ended.countDown();
        }
    }

    private void closeFrame(byte[] payload) {
        if (payload.length == 1) {
            violation("a close frame with a 1-byte payload");
        }
        if (payload.length >= 2) {
            serverCloseCode = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            byte[] reason = Arrays.copyOfRange(payload, 2, payload.length);
            checkUtf8(reason);
        }
        synchronized (writeLock) {
            closeReceived = true;
            if (!closeSent) {
                closeSent = true;
                // A client echoes the code it received, then waits for the server to drop TCP (RFC 6455 §5.5.1).
                frame(CLOSE, payload.length >= 2 ? closePayload(serverCloseCode, new byte[0]) : new byte[0]);
            }
        }
    }

    private void checkUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            violation("invalid UTF-8 from the server");
        }
    }

    private void violation(String what) {
        if (violation == null) {
            violation = what;
        }
    }

    /** What the peer has observed so far. */
    List<Event> events() {
        return new ArrayList<>(events);
    }
}
