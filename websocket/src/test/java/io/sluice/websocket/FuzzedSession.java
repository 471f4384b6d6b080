package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.api.pipe.PipeOptions;
import io.sluice.test.RandomChunking;
import io.sluice.websocket.frame.ClosePayload;
import io.sluice.websocket.frame.Frame;
import io.sluice.websocket.frame.Hex;
import io.sluice.websocket.frame.Rfc6455FrameReader;
import io.sluice.websocket.frame.WebSocketProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One fuzz case of a session over a pipe whose other end is a raw peer: the peer's writes are cut at random points,
 * the application reads (or echoes) every message and closes once {@code receive()} ends, the peer writes the case's
 * bytes and shuts its output, and the session must then close the connection. {@link #run} returns what the session
 * sent and told; {@link #finish} checks that both ends closed with nothing left in either budget.
 *
 * <p>Ownership: the pipe's budgets take memory from the allocator given; every message the application receives is
 * read and released here.
 */
final class FuzzedSession {

    /** Limits small enough for fuzzed streams to cross them often. */
    static final WebSocketSettings SMALL = WebSocketSettings.builder().maxFrameSize(64).maxMessageSize(100).build();

    /** What the session did: the frames it sent (data, pongs, the close payload as hex) and the statuses it told. */
    record Sent(String bytes, List<String> data, List<String> pongs, String close, CloseStatus received,
                CloseStatus sent) {
    }

    /** How the session's output is read back: RFC 6455 frames as a server or a client sends them, or not at all. */
    enum Output { UNMASKED, MASKED, RAW }

    final RawPeer peer;
    final WebSocketSession session;
    final App app;
    private final ByteBufAllocator alloc;
    private final Output output;

    private FuzzedSession(SplittableRandom r, ByteBufAllocator alloc, Function<RawPeer, WebSocketSession> make,
                          boolean echo, Output output) {
        this.alloc = alloc;
        this.output = output;
        this.peer = RawPeer.create(PipeOptions.defaults().allocator(alloc)
                .chunking(RandomChunking.seeded(r.nextLong(), 1 + r.nextInt(64))));
        this.session = make.apply(peer);
        this.app = echo ? App.echoing(session) : App.reading(session);
    }

    /** A session made by {@code make} over a pipe on {@code alloc}, its application reading or echoing. */
    static FuzzedSession start(SplittableRandom r, ByteBufAllocator alloc, Function<RawPeer, WebSocketSession> make,
                               boolean echo, Output output) {
        return new FuzzedSession(r, alloc, make, echo, output);
    }

    /**
     * Writes {@code input}, shuts the peer's output, waits until the session has closed the connection and
     * {@code receive()} has ended, and reads back what the session sent.
     */
    Sent run(byte[] input) {
        if (input.length == 0) {
            peer.writesAndShuts();
        } else {
            peer.writesAndShuts(ByteBufUtil.hexDump(input));
        }
        String out = peer.awaitClosed();
        CloseStatus received = session.closeStatus().block(TIMEOUT);
        CloseStatus sent = session.closeStatusSent().block(TIMEOUT);
        app.assertEnded();
        List<String> data = new ArrayList<>();
        List<String> pongs = new ArrayList<>();
        String close = null;
        List<String> frames = output == Output.RAW ? List.of()
                : framesSent(alloc, ByteBufUtil.decodeHexDump(out), output == Output.MASKED);
        for (int k = 0; k < frames.size(); k++) {
            String f = frames.get(k);
            if (f.startsWith("close ")) {
                assertThat(k).as("the close frame is the last frame sent: %s", frames).isEqualTo(frames.size() - 1);
                close = f.substring("close ".length());
            } else if (f.startsWith("pong ")) {
                pongs.add(f.substring("pong ".length()));
            } else {
                data.add(f);
            }
        }
        return new Sent(out, data, pongs, close, received, sent);
    }

    /** Closes the pipe and checks that nothing is left in either budget. */
    void finish() {
        peer.closeAndAssertNothingLeaks();
    }

    /** The code of a close frame's payload, given as hex: one a peer may send, or the session sent a bad one. */
    static int closeCode(String payloadHex) {
        assertThat(payloadHex).as("the close frame sent").isNotNull();
        ByteBuf p = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(payloadHex));
        try {
            return ClosePayload.parse(p).code();
        } catch (Exception e) {
            throw new AssertionError("the session sent a close frame it may not send: " + payloadHex, e);
        } finally {
            p.release();
        }
    }

    /** Every pong answers a ping, in order; a pong may stand for several pings (only the latest is answered). */
    static void assertPongsAnswerPings(List<String> pongs, List<String> pings) {
        int at = 0;
        for (String pong : pongs) {
            while (at < pings.size() && !pings.get(at).equals(pong)) {
                at++;
            }
            assertThat(at).as("pong %s answers a ping, in order, of %s", pong, pings).isLessThan(pings.size());
            at++;
        }
    }

    /** Each frame sent, read as the peer reads it: "close|pong hex", or a message "TEXT|BINARY hex". */
    private static List<String> framesSent(ByteBufAllocator alloc, byte[] out, boolean masked) {
        Rfc6455FrameReader reader = new Rfc6455FrameReader(alloc, masked, false, Integer.MAX_VALUE);
        List<String> frames = new ArrayList<>();
        try {
            if (out.length > 0) {
                reader.feed(alloc.buffer(out.length).writeBytes(out));
            }
            Frame f;
            StringBuilder message = new StringBuilder();
            while ((f = reader.poll()) != null) {
                ByteBuf p = f.payload();
                try {
                    if (f.isControl()) {
                        frames.add(WebSocketProtocol.opcodeName(f.opcode()) + " " + Hex.of(p));
                        continue;
                    }
                    if (f.first() && f.opcode() != WebSocketProtocol.OPCODE_CONTINUATION) {
                        message.setLength(0);
                        message.append(f.opcode() == WebSocketProtocol.OPCODE_TEXT ? WebSocketMessage.Type.TEXT
                                : WebSocketMessage.Type.BINARY).append(' ');
                    }
                    message.append(Hex.of(p));
                    if (f.endsMessage()) {
                        frames.add(message.toString());
                    }
                } finally {
                    p.release();
                }
            }
            assertThat(reader.closed() || reader.buffered() == 0).as("the output ends with a whole frame").isTrue();
        } catch (Exception e) {
            throw new AssertionError("the session sent frames its peer cannot read: " + ByteBufUtil.hexDump(out), e);
        } finally {
            reader.release();
        }
        return frames;
    }

    /** The application: reads (or echoes) every message and closes once {@code receive()} ends. */
    static final class App {
        final List<String> received = new CopyOnWriteArrayList<>();
        private final AtomicReference<String> end = new AtomicReference<>();
        private final boolean echo;

        private App(boolean echo) {
            this.echo = echo;
        }

        static App reading(WebSocketSession session) {
            App app = new App(false);
            app.messages(session).doOnNext(m -> {
                try {
                    app.received.add(SessionModel.describe(m.type(), Hex.of(m.content())));
                } finally {
                    m.release();
                }
            }).then(Mono.fromRunnable(session::close)).subscribe(null, e -> { });
            return app;
        }

        static App echoing(WebSocketSession session) {
            App app = new App(true);
            session.send(app.messages(session)).onErrorResume(e -> Mono.empty())
                    .then(Mono.fromRunnable(session::close)).subscribe(null, e -> { });
            return app;
        }

        private Flux<WebSocketMessage> messages(WebSocketSession session) {
            return session.receive().doOnComplete(() -> end.compareAndSet(null, "completed"))
                    .doOnError(e -> end.compareAndSet(null, "failed: " + e))
                    .doOnCancel(() -> end.compareAndSet(null, "cancelled"));
        }

        /**
         * {@code receive()} completed; or, for an echo, was cancelled by its send, which the session's close ended.
         */
        void assertEnded() {
            RawPeer.await(() -> end.get() != null, "receive() to end");
            if (echo) {
                assertThat(end.get()).as("how receive() ended").isIn("completed", "cancelled");
            } else {
                assertThat(end.get()).as("how receive() ended").isEqualTo("completed");
            }
        }
    }
}
