package io.sluice.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.api.pipe.PipeOptions;
import io.sluice.test.LeakTrackingAllocator;
import io.sluice.test.SluiceTest;
import io.sluice.test.TrackedPipes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A pipe whose left end plays a raw peer writing and reading literal text, and whose right end is the connection
 * under test, with the checks every test ends with: both ends closed, both budgets at zero, every buffer released.
 * Text is ISO-8859-1, so each char is one byte on the wire.
 */
final class WirePipe {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final LeakTrackingAllocator allocator;
    final Pipe pipe;
    final Pipe.End peer;
    final Pipe.End local;
    final List<Throwable> sendErrors = new CopyOnWriteArrayList<>();

    WirePipe(Chunking chunking) {
        this.allocator = SluiceTest.allocator();
        this.pipe = TrackedPipes.create(chunking);
        this.peer = pipe.left();
        this.local = pipe.right();
    }

    /** A pipe whose budgets take memory from {@code allocator}, which {@link #closeAndAssertNothingLeaks} checks. */
    WirePipe(Chunking chunking, LeakTrackingAllocator allocator) {
        this.allocator = allocator;
        this.pipe = Pipe.create(PipeOptions.defaults().allocator(allocator).chunking(chunking));
        this.peer = pipe.left();
        this.local = pipe.right();
    }

    static WirePipe whole() {
        return new WirePipe(Chunking.whole());
    }

    /** Lines joined with CRLF: text blocks in tests are written with plain newlines. */
    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static ByteBuf buffer(Connection c, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return c.budget().allocator().buffer(bytes.length).writeBytes(bytes);
    }

    static String textAndRelease(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    /** The peer writes each string as one write (split further by the chunking) and keeps its side open. */
    void peerWrites(String... writes) {
        peer.send(Flux.fromArray(writes).map(w -> buffer(peer, w))).subscribe(null, sendErrors::add);
    }

    /** The peer writes each string as one write, then shuts its output. */
    void peerWritesAndShuts(String... writes) {
        peer.send(Flux.fromArray(writes).map(w -> buffer(peer, w)))
                .then(Mono.fromRunnable(peer::shutdownOutput))
                .subscribe(null, sendErrors::add);
    }

    /** Everything the peer receives until the local side closes, as text. */
    Mono<String> peerReceivesAll() {
        return peer.receive()
                .map(WirePipe::textAndRelease)
                .collect(StringBuilder::new, StringBuilder::append)
                .map(StringBuilder::toString);
    }

    /** The peer's inbound text as it arrives, accumulated, for reading before the local side closes. */
    PeerReader peerReader() {
        PeerReader reader = new PeerReader();
        peer.receive().subscribe(b -> reader.append(textAndRelease(b)), reader::fail, reader::end);
        return reader;
    }

    /** Closes the pipe and checks that nothing is left: both ends closed, budgets at zero, buffers released. */
    void closeAndAssertNothingLeaks() {
        pipe.close();
        StepVerifier.create(Mono.when(peer.onClose(), local.onClose())).expectComplete().verify(TIMEOUT);
        assertThat(peer.budget().outstandingBytes()).as("peer budget").isZero();
        assertThat(local.budget().outstandingBytes()).as("local budget").isZero();
        allocator.assertNoLeaks();
    }

    /** Text a peer received so far, waited on by polling within {@link #TIMEOUT}. */
    static final class PeerReader {
        private final StringBuffer text = new StringBuffer();
        private volatile boolean ended;
        private volatile Throwable error;

        void append(String s) {
            text.append(s);
        }

        void fail(Throwable t) {
            error = t;
            ended = true;
        }

        void end() {
            ended = true;
        }

        boolean ended() {
            return ended;
        }

        String text() {
            return text.toString();
        }

        /** Waits until the text holds {@code length} chars (or the stream ends); returns them. */
        String await(int length) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (text.length() < length && !ended && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertThat(error).as("peer receive error").isNull();
            return text.toString();
        }

        /** Waits until the text contains the end of a head ({@code CRLF CRLF}) plus {@code extra} chars. */
        String awaitHead(int extra) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (;;) {
                String t = text.toString();
                int end = t.indexOf("\r\n\r\n");
                if (end >= 0 && t.length() >= end + 4 + extra || ended || System.nanoTime() > deadline) {
                    return t;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }

        static List<String> lines(String head) {
            return new ArrayList<>(List.of(head.split("\r\n", -1)));
        }
    }
}
