package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_ABNORMAL;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_NO_STATUS_RECEIVED;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_NORMAL;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.api.pipe.PipeOptions;
import io.sluice.test.RandomChunking;
import io.sluice.websocket.frame.ClosePayload;
import io.sluice.websocket.frame.Frame;
import io.sluice.websocket.frame.Fuzz;
import io.sluice.websocket.frame.HixieStreams;
import io.sluice.websocket.frame.Hixie76FrameReader;
import io.sluice.websocket.frame.Rfc6455FrameReader;
import io.sluice.websocket.frame.WebSocketProtocol;
import io.sluice.websocket.frame.WireFrames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Seeded fuzzing of whole server sessions over a pipe (writes cut at random points): a "client" writes a valid,
 * mutated or random frame stream and shuts its output. Whatever it wrote, the application's {@code receive()} gets
 * exactly the messages {@link SessionModel} predicts and then completes; the session answers pings with pongs, sends
 * at most one close frame, last, with the code the stream calls for (the first violation's 1002, 1007 or 1009; the
 * peer's own code; nothing or the application's 1000 when the input just ends), closes the connection, and leaves
 * nothing behind in either budget. An application that echoes instead sends back a prefix of those messages. Under
 * permessage-deflate, valid streams of compressed and plain messages are delivered exactly, and mutated ones end with
 * a close the stream can call for. A failure names the seed and the input.
 */
class SessionFuzzTest {

    private static final int ITERATIONS = Fuzz.iterations(8);
    private static final WebSocketSettings SMALL = WebSocketSettings.builder().maxFrameSize(64).maxMessageSize(100)
            .build();

    @Test
    void aServerSessionDeliversWhatTheFramesHoldThenClosesWithTheCodeTheyCallFor() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                WebSocketSettings settings = i % 2 == 0 ? WebSocketSettings.defaults() : SMALL;
                List<WireFrames.Spec> frames = WireFrames.randomStream(r,
                        new WireFrames.Peer(true, false, settings.maxFrameSize()), true);
                byte[] input = switch (i % 6) {
                    case 0, 1 -> WireFrames.encode(frames);
                    case 2, 3 -> Fuzz.mutate(r, WireFrames.encode(frames));
                    case 4 -> WireFrames.encode(WireFrames.withBoundaryLength(r, frames, settings.maxFrameSize()));
                    default -> Fuzz.interestingBytes(r, 64);
                };
                boolean echo = r.nextBoolean();
                String what = (echo ? "echoing" : "reading") + " RFC 6455 server session, " + settings;
                SessionModel model = SessionModel.predict(Fuzz.parent(i), new Rfc6455FrameReader(Fuzz.parent(i), true,
                        false, settings.maxFrameSize()), input, settings.maxMessageSize());
                try {
                    runRfc6455(r, Fuzz.parent(i), settings, input, echo, model);
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.replay(seed, i, what + ", " + model, input), t);
                }
            }
        }
    }

    @Test
    void aHixie76ServerSessionDeliversWhatTheFramesHoldThenClosesWithTheCodeTheyCallFor() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                WebSocketSettings settings = i % 2 == 0 ? WebSocketSettings.defaults() : SMALL;
                byte[] valid = HixieStreams.randomStream(r, settings.maxMessageSize()).bytes();
                byte[] input = switch (i % 3) {
                    case 0 -> valid;
                    case 1 -> Fuzz.mutate(r, valid);
                    default -> Fuzz.interestingBytes(r, 64);
                };
                SessionModel model = SessionModel.predict(Fuzz.parent(i), new Hixie76FrameReader(Fuzz.parent(i),
                        settings.maxMessageSize()), input, settings.maxMessageSize());
                try {
                    runHixie76(r, Fuzz.parent(i), settings, input, model);
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.replay(seed, i, "Hixie-76 server session, " + settings + ", " + model,
                            input), t);
                }
            }
        }
    }

    @Test
    void aServerSessionWithPermessageDeflateInflatesWhatItCanAndClosesWith1002Or1007Or1009OnWhatItCannot() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                WebSocketSettings settings = i % 2 == 0 ? WebSocketSettings.defaults() : SMALL;
                boolean takeover = r.nextBoolean();
                DeflatedStream stream = DeflatedStream.random(r, settings, takeover);
                boolean valid = i % 3 == 0;
                byte[] input = valid ? stream.bytes() : Fuzz.mutate(r, stream.bytes());
                try {
                    runDeflate(r, Fuzz.parent(i), settings, new PerMessageDeflate(false, !takeover, 15, 15), input,
                            valid ? stream : null);
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.replay(seed, i, (valid ? "" : "mutated ")
                            + "permessage-deflate stream, context takeover " + takeover + ", " + settings, input), t);
                }
            }
        }
    }

    /** A client's valid permessage-deflate stream: messages compressed or not, pings between, a close or not. */
    private record DeflatedStream(byte[] bytes, List<String> messages, int peerClose) {

        static DeflatedStream random(SplittableRandom r, WebSocketSettings settings, boolean takeover) {
            WireFrames.Peer peer = new WireFrames.Peer(true, true, settings.maxFrameSize());
            int maxMessage = (int) Math.min(settings.maxMessageSize(), 3_000);
            List<WireFrames.Spec> frames = new ArrayList<>();
            List<String> messages = new ArrayList<>();
            Deflater deflater = new Deflater(r.nextInt(10), true);
            try {
                int count = 1 + r.nextInt(5);
                for (int m = 0; m < count; m++) {
                    boolean text = r.nextBoolean();
                    byte[] message = text ? WireFrames.utf8(r, maxMessage)
                            : r.nextBoolean() ? Fuzz.randomBytes(r, maxMessage)
                            : ("sluice ".repeat(1 + r.nextInt(maxMessage / 7))).getBytes(StandardCharsets.UTF_8);
                    boolean compress = r.nextInt(4) > 0;
                    byte[] payload = message;
                    if (compress) {
                        if (!takeover) {
                            deflater.reset();
                        }
                        payload = WireFrames.deflated(deflater, message);
                    }
                    frames.addAll(WireFrames.message(r, peer, compress ? 4 : 0,
                            text ? WebSocketProtocol.OPCODE_TEXT : WebSocketProtocol.OPCODE_BINARY, payload));
                    messages.add(SessionModel.describe(text ? WebSocketMessage.Type.TEXT : WebSocketMessage.Type.BINARY,
                            ByteBufUtil.hexDump(message)));
                    if (r.nextInt(4) == 0) {
                        frames.add(WireFrames.frame(r, peer, true, 0, WebSocketProtocol.OPCODE_PING,
                                Fuzz.randomBytes(r, 125)));
                    }
                }
            } finally {
                deflater.end();
            }
            int peerClose = CLOSE_ABNORMAL;
            if (r.nextBoolean()) {
                byte[] close = WireFrames.closePayload(r);
                frames.add(WireFrames.frame(r, peer, true, 0, WebSocketProtocol.OPCODE_CLOSE, close));
                peerClose = close.length == 0 ? CLOSE_NO_STATUS_RECEIVED : ((close[0] & 0xff) << 8) | (close[1] & 0xff);
            }
            return new DeflatedStream(WireFrames.encode(frames), messages, peerClose);
        }
    }

    /**
     * A valid stream ({@code expected} given) must deliver its messages exactly and end as its close says; any other
     * must end with a close that is 1002, 1007 or 1009, the peer's own code echoed, or the application's 1000.
     */
    private static void runDeflate(SplittableRandom r, ByteBufAllocator alloc, WebSocketSettings settings,
                                   PerMessageDeflate deflate, byte[] input, DeflatedStream expected) {
        RawPeer peer = peer(r, alloc);
        WebSocketSession session = peer.server(settings, deflate);
        App app = App.reading(session);
        writeAndShut(peer, input);
        byte[] out = ByteBufUtil.decodeHexDump(peer.awaitClosed());
        CloseStatus received = session.closeStatus().block(TIMEOUT);
        app.assertEnded();
        List<String> sentFrames = serverFrames(alloc, out);
        String close = null;
        for (int k = 0; k < sentFrames.size(); k++) {
            String f = sentFrames.get(k);
            if (f.startsWith("close ")) {
                assertThat(k).as("the close frame is the last frame sent: %s", sentFrames)
                        .isEqualTo(sentFrames.size() - 1);
                close = f.substring("close ".length());
            } else {
                assertThat(f).as("a frame sent by a session whose application sends nothing").startsWith("pong ");
            }
        }
        if (expected != null) {
            assertThat(app.received).as("messages received").isEqualTo(expected.messages());
            assertThat(received.code()).as("closeStatus").isEqualTo(expected.peerClose());
            if (expected.peerClose() == CLOSE_NO_STATUS_RECEIVED) {
                assertThat(close).as("the answer to a close without a code").isEmpty();
            } else if (expected.peerClose() != CLOSE_ABNORMAL) {
                assertThat(closeCode(close)).as("the code of the close frame sent").isEqualTo(expected.peerClose());
            }
        } else if (close != null && !close.isEmpty()) {
            assertThat(closeCode(close)).as("the code of the close frame sent")
                    .isIn(CLOSE_PROTOCOL_ERROR, CLOSE_INVALID_PAYLOAD, CLOSE_MESSAGE_TOO_BIG, CLOSE_NORMAL,
                            received.code());
        }
        peer.closeAndAssertNothingLeaks();
    }

    private static void runRfc6455(SplittableRandom r, ByteBufAllocator alloc, WebSocketSettings settings,
                                   byte[] input, boolean echo, SessionModel model) {
        RawPeer peer = peer(r, alloc);
        WebSocketSession session = peer.server(settings, null);
        App app = echo ? App.echoing(session) : App.reading(session);
        writeAndShut(peer, input);
        byte[] out = ByteBufUtil.decodeHexDump(peer.awaitClosed());
        CloseStatus received = session.closeStatus().block(TIMEOUT);
        CloseStatus sent = session.closeStatusSent().block(TIMEOUT);

        List<String> sentFrames = serverFrames(alloc, out);
        String close = null;
        List<String> pongs = new ArrayList<>();
        List<String> data = new ArrayList<>();
        for (int k = 0; k < sentFrames.size(); k++) {
            String f = sentFrames.get(k);
            if (f.startsWith("close ")) {
                assertThat(k).as("the close frame is the last frame sent: %s", sentFrames)
                        .isEqualTo(sentFrames.size() - 1);
                close = f.substring("close ".length());
            } else if (f.startsWith("pong ")) {
                pongs.add(f.substring("pong ".length()));
            } else {
                data.add(f);
            }
        }
        app.assertEnded();
        if (echo) {
            assertThat(model.delivered).as("messages echoed: a prefix of those received")
                    .startsWith(data.toArray(String[]::new));
        } else {
            assertThat(data).as("data frames sent by an application that sends none").isEmpty();
            assertThat(app.received).as("messages received").isEqualTo(model.delivered);
        }
        assertSubsequence(pongs, model.pings);
        switch (model.ending) {
            case VIOLATION -> {
                assertThat(close).as("the close frame sent").isNotNull();
                assertThat(closeCode(close)).as("the code of the close frame sent").isEqualTo(model.closeCode);
                assertThat(sent).isNotNull();
                assertThat(sent.code()).as("closeStatusSent").isEqualTo(model.closeCode);
                assertThat(received.code()).as("closeStatus").isEqualTo(CLOSE_ABNORMAL);
            }
            case PEER_CLOSE -> {
                assertThat(received.code()).as("closeStatus").isEqualTo(model.closeCode);
                assertThat(close).as("the close frame sent").isNotNull();
                if (model.closeCode == CLOSE_NO_STATUS_RECEIVED) {
                    assertThat(close).as("the answer to a close without a code").isEmpty();
                    assertThat(sent).as("closeStatusSent").isNull();
                } else {
                    assertThat(closeCode(close)).as("the code of the close frame sent").isEqualTo(model.closeCode);
                    assertThat(sent.code()).as("closeStatusSent").isEqualTo(model.closeCode);
                }
            }
            default -> {
                assertThat(received.code()).as("closeStatus").isEqualTo(CLOSE_ABNORMAL);
                if (close != null) {
                    assertThat(closeCode(close)).as("the code of the close frame sent").isEqualTo(CLOSE_NORMAL);
                }
            }
        }
        peer.closeAndAssertNothingLeaks();
    }

    private static void runHixie76(SplittableRandom r, ByteBufAllocator alloc, WebSocketSettings settings,
                                   byte[] input, SessionModel model) {
        RawPeer peer = peer(r, alloc);
        WebSocketSession session = peer.session(WebSocketRole.SERVER, WebSocketVersion.HIXIE_76, settings);
        App app = App.reading(session);
        writeAndShut(peer, input);
        String out = peer.awaitClosed();
        CloseStatus received = session.closeStatus().block(TIMEOUT);
        CloseStatus sent = session.closeStatusSent().block(TIMEOUT);
        app.assertEnded();
        assertThat(app.received).as("messages received").isEqualTo(model.delivered);
        switch (model.ending) {
            case VIOLATION -> {
                assertThat(out).as("bytes sent").isEqualTo("ff00");
                assertThat(sent.code()).as("closeStatusSent").isEqualTo(model.closeCode);
                assertThat(received.code()).as("closeStatus").isEqualTo(CLOSE_ABNORMAL);
            }
            case PEER_CLOSE -> {
                assertThat(out).as("bytes sent").isEqualTo("ff00");
                assertThat(received.code()).as("closeStatus").isEqualTo(CLOSE_NO_STATUS_RECEIVED);
            }
            default -> {
                assertThat(out).as("bytes sent").isIn("", "ff00");
                assertThat(received.code()).as("closeStatus").isEqualTo(CLOSE_ABNORMAL);
            }
        }
        peer.closeAndAssertNothingLeaks();
    }

    /** A pipe over {@code alloc}, the client's writes cut at random points. */
    private static RawPeer peer(SplittableRandom r, ByteBufAllocator alloc) {
        return RawPeer.create(PipeOptions.defaults().allocator(alloc)
                .chunking(RandomChunking.seeded(r.nextLong(), 1 + r.nextInt(64))));
    }

    private static void writeAndShut(RawPeer peer, byte[] input) {
        if (input.length == 0) {
            peer.writesAndShuts();
        } else {
            peer.writesAndShuts(ByteBufUtil.hexDump(input));
        }
    }

    /** The application: reads (or echoes) every message and closes once {@code receive()} ends. */
    private static final class App {
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicReference<String> end = new AtomicReference<>();
        final boolean echo;

        private App(boolean echo) {
            this.echo = echo;
        }

        static App reading(WebSocketSession session) {
            App app = new App(false);
            app.messages(session).doOnNext(m -> {
                try {
                    app.received.add(SessionModel.describe(m.type(), Fuzz.hex(m.content())));
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

    /** Each frame the server sent, read as a client reads it: "close|pong hex" or a message "TEXT|BINARY hex". */
    private static List<String> serverFrames(ByteBufAllocator alloc, byte[] out) {
        Rfc6455FrameReader reader = new Rfc6455FrameReader(alloc, false, false, Integer.MAX_VALUE);
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
                        frames.add(WebSocketProtocol.opcodeName(f.opcode()) + " " + Fuzz.hex(p));
                        continue;
                    }
                    if (f.first() && f.opcode() != WebSocketProtocol.OPCODE_CONTINUATION) {
                        message.setLength(0);
                        message.append(f.opcode() == WebSocketProtocol.OPCODE_TEXT ? WebSocketMessage.Type.TEXT
                                : WebSocketMessage.Type.BINARY).append(' ');
                    }
                    message.append(Fuzz.hex(p));
                    if (f.endsMessage()) {
                        frames.add(message.toString());
                    }
                } finally {
                    p.release();
                }
            }
            assertThat(reader.closed() || reader.buffered() == 0).as("the server's output ends with a whole frame")
                    .isTrue();
        } catch (Exception e) {
            throw new AssertionError("the server sent frames a client cannot read: " + ByteBufUtil.hexDump(out), e);
        } finally {
            reader.release();
        }
        return frames;
    }

    /** The code of a close frame's payload, given as hex (a valid one: the server must send nothing else). */
    private static int closeCode(String payloadHex) {
        ByteBuf p = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(payloadHex));
        try {
            return ClosePayload.parse(p).code();
        } catch (Exception e) {
            throw new AssertionError("the server sent a close frame it may not send: " + payloadHex, e);
        } finally {
            p.release();
        }
    }

    /** Every pong answers a ping, in order; a pong may stand for several pings (only the latest is answered). */
    private static void assertSubsequence(List<String> pongs, List<String> pings) {
        int at = 0;
        for (String pong : pongs) {
            while (at < pings.size() && !pings.get(at).equals(pong)) {
                at++;
            }
            assertThat(at).as("pong %s answers a ping, in order, of %s", pong, pings).isLessThan(pings.size());
            at++;
        }
    }
}
