package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Pipe;
import io.sluice.api.pipe.PipeOptions;
import io.sluice.test.TrackedPipes;
import io.sluice.websocket.frame.Hex;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * A pipe whose left end is a raw peer speaking hex and whose right end carries the session under test, with the
 * checks every test ends with: both ends closed, both budgets at zero (the test kit then checks every buffer).
 * The peer reads everything the session sends from the start, as hex.
 */
final class RawPeer {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The masking key of client sessions made here, so that their frames are predictable. */
    static final int CLIENT_KEY = 0x01020304;

    final Pipe pipe;
    final Pipe.End peer;
    final Pipe.End lower;
    /** Each {@code request(n)} the session made on {@link #lower}'s inbound stream. */
    final Queue<Long> lowerRequests = new ConcurrentLinkedQueue<>();
    /** What the peer read, as hex, one piece per read: appended in constant time however many reads there are. */
    private final Queue<String> received = new ConcurrentLinkedQueue<>();
    private final Sinks.Empty<Void> peerInputEnded = Sinks.empty();

    RawPeer(PipeOptions options) {
        this.pipe = Pipe.create(options);
        this.peer = pipe.left();
        this.lower = pipe.right();
        peer.receive().subscribe(
                buf -> received.add(Hex.hexAndRelease(buf)),
                e -> peerInputEnded.tryEmitEmpty(), peerInputEnded::tryEmitEmpty);
    }

    static RawPeer create() {
        return new RawPeer(TrackedPipes.options());
    }

    static RawPeer create(PipeOptions options) {
        return new RawPeer(options);
    }

    /** The lower connection as the session should see it, recording its demand. */
    Connection recordedLower() {
        return new ConnectionLayer(lower) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().doOnRequest(lowerRequests::add);
            }
        };
    }

    WebSocketSession server() {
        return server(WebSocketSettings.defaults(), null);
    }

    WebSocketSession server(WebSocketSettings settings, PerMessageDeflate deflate) {
        return FramedSession.start(recordedLower(), WebSocketRole.SERVER, WebSocketVersion.RFC6455, null, deflate,
                settings, () -> {
                    throw new AssertionError("a server does not mask");
                });
    }

    WebSocketSession client(WebSocketSettings settings, PerMessageDeflate deflate) {
        return FramedSession.start(recordedLower(), WebSocketRole.CLIENT, WebSocketVersion.RFC6455, null, deflate,
                settings, () -> CLIENT_KEY);
    }

    WebSocketSession session(WebSocketRole role, WebSocketVersion version, WebSocketSettings settings) {
        return FramedSession.start(recordedLower(), role, version, null, null, settings, () -> CLIENT_KEY);
    }

    /** The peer writes each hex string as one write (split further by the pipe's chunking). */
    void writes(String... hexWrites) {
        List<ByteBuf> bufs = new ArrayList<>();
        for (String hex : hexWrites) {
            bufs.add(Hex.buffer(peer.budget().allocator(), hex));
        }
        peer.send(Flux.fromIterable(bufs)).subscribe(null, e -> { });
    }

    /** The peer writes, then shuts its output: the session's inbound stream ends. */
    void writesAndShuts(String... hexWrites) {
        List<ByteBuf> bufs = new ArrayList<>();
        for (String hex : hexWrites) {
            bufs.add(Hex.buffer(peer.budget().allocator(), hex));
        }
        peer.send(Flux.fromIterable(bufs)).then(Mono.fromRunnable(peer::shutdownOutput)).subscribe(null, e -> { });
    }

    /** Everything the peer has read so far, as hex. */
    String received() {
        return String.join("", received);
    }

    /** Waits until the peer has read {@code hex} (spaces ignored) from the start. */
    void awaitReceived(String hex) {
        String expected = hex.replace(" ", "");
        await(() -> received().length() >= expected.length(), "the peer to read " + expected);
        assertThat(received()).startsWith(expected);
    }

    /** Waits until the session has closed the connection, then checks everything the peer read. */
    void awaitReceivedAllAndClosed(String hex) {
        assertThat(awaitClosed()).isEqualTo(hex.replace(" ", ""));
    }

    /** Waits until the session has closed the connection; returns everything the peer read, as hex. */
    String awaitClosed() {
        StepVerifier.create(peerInputEnded.asMono()).expectComplete().verify(TIMEOUT);
        return received();
    }

    /** Waits for the session's close frame (1000), answers it, and returns everything read once it closed. */
    String awaitClosedAfterReply() {
        await(() -> received().contains("8802"), "the session's close frame");
        writes("88 82 00000000 03e8");
        return awaitClosed();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Closes the pipe and checks that nothing is left: both ends closed, both budgets at zero. */
    void closeAndAssertNothingLeaks() {
        pipe.close();
        StepVerifier.create(Mono.when(peer.onClose(), lower.onClose())).expectComplete().verify(TIMEOUT);
        assertThat(peer.budget().outstandingBytes()).as("peer budget").isZero();
        assertThat(lower.budget().outstandingBytes()).as("session budget").isZero();
    }

    /** A close frame as a server sends it (unmasked), with the given code and reason, as hex. */
    static String serverClose(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        return String.format("88%02x%04x", 2 + r.length, code) + ByteBufUtil.hexDump(r);
    }

    /** The payload of {@code message} as UTF-8, releasing it. */
    static String textAndRelease(WebSocketMessage message) {
        try {
            return message.type() + (message.isLast() ? "" : "…") + " " + message.text();
        } finally {
            message.release();
        }
    }

    /** The payload of {@code message} as hex, releasing it. */
    static String hexAndRelease(WebSocketMessage message) {
        try {
            return message.type() + (message.isLast() ? "" : "…") + " " + ByteBufUtil.hexDump(message.content());
        } finally {
            message.release();
        }
    }
}
