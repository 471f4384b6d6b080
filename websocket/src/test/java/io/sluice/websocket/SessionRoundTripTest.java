package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.sluice.api.pipe.Chunking;
import io.sluice.test.TrackedPipes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A client session and a server session talking over a pipe: text and binary, empty and 4 MiB messages, whole and
 * as fragments, with and without permessage-deflate.
 */
class SessionRoundTripTest {

    private static final int FOUR_MIB = 4 * 1024 * 1024;
    private static final WebSocketSettings LARGE = WebSocketSettings.builder()
            .maxFrameSize(8 * 1024 * 1024).maxMessageSize(8 * 1024 * 1024).build();

    private static String describe(WebSocketMessage m) {
        try {
            return m.type() + (m.isLast() ? "" : "…") + " "
                    + (m.isText() ? m.text() : ByteBufUtil.hexDump(m.content()));
        } finally {
            m.release();
        }
    }

    private static List<String> echo(SessionPair pair, List<WebSocketMessage> messages) {
        Mono<List<String>> echoed = pair.client.receive().map(SessionRoundTripTest::describe).take(messages.size())
                .collectList();
        pair.client.send(Flux.fromIterable(messages)).subscribe();
        return echoed.block(TIMEOUT);
    }

    private static List<WebSocketMessage> sample(WebSocketSession s) {
        return List.of(WebSocketMessage.text(s.allocator(), "Hello"),
                WebSocketMessage.binary(s.allocator(), new byte[] {0, 1, 2, (byte) 0xff}),
                WebSocketMessage.text(s.allocator(), "κόσμε ✓ 😀"),
                WebSocketMessage.text(s.allocator(), ""),
                WebSocketMessage.binary(s.allocator(), new byte[0]),
                WebSocketMessage.text(s.allocator(), "a message long enough to be compressed, ".repeat(20)),
                WebSocketMessage.text(s.allocator(), "a message long enough to be compressed, ".repeat(20)));
    }

    private static final List<String> SAMPLE_ECHOED = List.of("TEXT Hello", "BINARY 000102ff", "TEXT κόσμε ✓ 😀",
            "TEXT ", "BINARY ", "TEXT " + "a message long enough to be compressed, ".repeat(20),
            "TEXT " + "a message long enough to be compressed, ".repeat(20));

    @Test
    void echoesTextBinaryAndEmptyMessages() {
        SessionPair pair = new SessionPair(TrackedPipes.options(), WebSocketSettings.defaults(), null).echoWhole();
        assertThat(echo(pair, sample(pair.client))).isEqualTo(SAMPLE_ECHOED);
        pair.close();
    }

    @Test
    void echoesEveryByteSplit() {
        SessionPair pair = new SessionPair(TrackedPipes.options().chunking(Chunking.everyByte()),
                WebSocketSettings.defaults(), null).echoWhole();
        assertThat(echo(pair, sample(pair.client))).isEqualTo(SAMPLE_ECHOED);
        pair.close();
    }

    @Test
    void echoesWithPermessageDeflateAndContextTakeover() {
        SessionPair pair = new SessionPair(TrackedPipes.options(), WebSocketSettings.defaults(),
                new PerMessageDeflate(false, false, 15, 15)).echoWhole();
        List<WebSocketMessage> twice = new java.util.ArrayList<>(sample(pair.client));
        twice.addAll(sample(pair.client));
        List<String> expected = new java.util.ArrayList<>(SAMPLE_ECHOED);
        expected.addAll(SAMPLE_ECHOED);
        assertThat(echo(pair, twice)).as("the contexts stay in step").isEqualTo(expected);
        pair.close();
    }

    @Test
    void echoesWithPermessageDeflateWithoutContextTakeover() {
        SessionPair pair = new SessionPair(TrackedPipes.options(), WebSocketSettings.defaults(),
                new PerMessageDeflate(true, true, 15, 15)).echoWhole();
        assertThat(echo(pair, sample(pair.client))).isEqualTo(SAMPLE_ECHOED);
        pair.close();
    }

    @Test
    void echoesWithPermessageDeflateAndSmallWindows() {
        // Neither end can compress with a window under 15 bits: both send uncompressed, and inflate what comes.
        SessionPair pair = new SessionPair(TrackedPipes.options(), WebSocketSettings.defaults(),
                new PerMessageDeflate(false, true, 9, 12)).echoWhole();
        assertThat(echo(pair, sample(pair.client))).isEqualTo(SAMPLE_ECHOED);
        pair.close();
    }

    @Test
    void echoesWithPermessageDeflateEveryByteSplit() {
        SessionPair pair = new SessionPair(TrackedPipes.options().chunking(Chunking.everyByte()),
                WebSocketSettings.defaults(), new PerMessageDeflate(false, false, 15, 15)).echoWhole();
        assertThat(echo(pair, sample(pair.client))).isEqualTo(SAMPLE_ECHOED);
        pair.close();
    }

    @Test
    void echoesMessagesSentAsFragments() {
        for (PerMessageDeflate deflate : new PerMessageDeflate[] {null, new PerMessageDeflate(false, false, 15, 15),
                new PerMessageDeflate(true, true, 15, 15)}) {
            SessionPair pair = new SessionPair(TrackedPipes.options(), WebSocketSettings.defaults(), deflate)
                    .echoWhole();
            WebSocketSession c = pair.client;
            List<WebSocketMessage> fragments = List.of(
                    WebSocketMessage.fragment(WebSocketMessage.Type.TEXT, text(c, "Hel"), false),
                    WebSocketMessage.fragment(WebSocketMessage.Type.TEXT, text(c, ""), false),
                    WebSocketMessage.fragment(WebSocketMessage.Type.TEXT, text(c, "lo"), true),
                    WebSocketMessage.fragment(WebSocketMessage.Type.BINARY, text(c, "ab"), false),
                    WebSocketMessage.fragment(WebSocketMessage.Type.BINARY, text(c, ""), true));
            Mono<List<String>> echoed = c.receive().map(SessionRoundTripTest::describe).take(2).collectList();
            c.send(Flux.fromIterable(fragments)).subscribe();
            assertThat(echoed.block(TIMEOUT)).as(String.valueOf(deflate))
                    .containsExactly("TEXT Hello", "BINARY 6162");
            pair.close();
        }
    }

    @Test
    void echoes4MiBMessagesWholeWithinABudgetThatHoldsThem() {
        for (PerMessageDeflate deflate : new PerMessageDeflate[] {null, new PerMessageDeflate(false, false, 15, 15)}) {
            SessionPair pair = new SessionPair(TrackedPipes.options().chunking(Chunking.atMost(64 * 1024))
                    .waterMarks(16L << 20, 32L << 20), LARGE, deflate).echoWhole();
            WebSocketSession c = pair.client;
            ByteBuf binary = pattern(c, FOUR_MIB, 7);
            long binaryCrc = crc(binary);
            ByteBuf text = c.allocator().buffer(FOUR_MIB).writeBytes("0123456789abcdef".repeat(FOUR_MIB / 16)
                    .getBytes(StandardCharsets.US_ASCII));
            long textCrc = crc(text);
            Mono<List<String>> echoed = c.receive()
                    .map(m -> {
                        try {
                            return m.type() + " " + m.content().readableBytes() + " " + crc(m.content());
                        } finally {
                            m.release();
                        }
                    })
                    .take(2).collectList();
            c.send(Flux.just(WebSocketMessage.binary(binary), WebSocketMessage.text(text))).subscribe();
            assertThat(echoed.block(TIMEOUT)).as(String.valueOf(deflate)).containsExactly(
                    "BINARY " + FOUR_MIB + " " + binaryCrc, "TEXT " + FOUR_MIB + " " + textCrc);
            pair.close();
        }
    }

    @Test
    void streams4MiBMessagesAsFragmentsWithinTheDefaultBudget() {
        for (PerMessageDeflate deflate : new PerMessageDeflate[] {null, new PerMessageDeflate(true, true, 15, 15)}) {
            SessionPair pair = new SessionPair(TrackedPipes.options().chunking(Chunking.atMost(64 * 1024)), LARGE,
                    deflate).echoFragments();
            WebSocketSession c = pair.client;
            int fragment = 64 * 1024;
            CRC32 sent = new CRC32();
            Flux<WebSocketMessage> fragments = Flux.range(0, FOUR_MIB / fragment).map(i -> {
                ByteBuf part = pattern(c, fragment, i);
                sent.update(ByteBufUtil.getBytes(part));
                return WebSocketMessage.fragment(WebSocketMessage.Type.BINARY, part, i == FOUR_MIB / fragment - 1);
            });
            CRC32 received = new CRC32();
            Mono<Long> size = c.receiveFragments()
                    .takeUntil(WebSocketMessage::isLast)
                    .map(m -> {
                        try {
                            received.update(ByteBufUtil.getBytes(m.content()));
                            return (long) m.content().readableBytes();
                        } finally {
                            m.release();
                        }
                    })
                    .reduce(0L, Long::sum);
            c.send(fragments).subscribe();
            assertThat(size.block(TIMEOUT)).isEqualTo(FOUR_MIB);
            assertThat(received.getValue()).isEqualTo(sent.getValue());
            assertThat(pair.pipe.right().budget().highWaterMark()).as("the default budget")
                    .isEqualTo(512 * 1024);
            pair.close();
        }
    }

    @Test
    void refusesAWholeMessageLargerThanTheBudgetWith1009() {
        SessionPair pair = new SessionPair(TrackedPipes.options().chunking(Chunking.atMost(64 * 1024)), LARGE, null);
        pair.server.receive().subscribe(WebSocketMessage::release);
        pair.client.receive().subscribe(WebSocketMessage::release);
        pair.client.send(Mono.just(WebSocketMessage.binary(pattern(pair.client, FOUR_MIB, 1))))
                .subscribe(null, e -> { });
        StepVerifier.create(pair.server.closeStatusSent().map(CloseStatus::code)).expectNext(1009).verifyComplete();
        StepVerifier.create(pair.client.closeStatus().map(CloseStatus::code)).expectNext(1009).verifyComplete();
        pair.pipe.close();
        Mono.when(pair.pipe.left().onClose(), pair.pipe.right().onClose()).block(TIMEOUT);
    }

    private static ByteBuf text(WebSocketSession s, String t) {
        byte[] b = t.getBytes(StandardCharsets.UTF_8);
        return s.allocator().buffer(b.length).writeBytes(b);
    }

    /** {@code size} bytes of a repeating pattern that deflate still has work to do on. */
    private static ByteBuf pattern(WebSocketSession s, int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ((i * 31 + seed) ^ (i >>> 9));
        }
        return s.allocator().buffer(size).writeBytes(bytes);
    }

    private static long crc(ByteBuf buf) {
        CRC32 crc = new CRC32();
        crc.update(buf.nioBuffer());
        return crc.getValue();
    }
}
