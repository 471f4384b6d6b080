package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static io.sluice.websocket.RawPeer.serverClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.pipe.Chunking;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * A server session fed raw client frames (masked; most with the key 00000000 so that the payload reads as sent):
 * messages delivered on demand, whole or as fragments, control frames answered, and every violation ending the
 * session with its exact close frame.
 */
class SessionReceiveTest {

    private static final String CLIENT_CLOSE_1000 = "88 82 00000000 03e8"; // masked close 1000
    private static final String SERVER_CLOSE_1000 = "88 02 03e8";

    @Test
    void deliversTextAndBinaryMessagesWhole() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes("81 85 37fa213d 7f9f4d5158" // RFC 6455 §5.7: masked text "Hello"
                + " 82 83 00000000 010203"       // binary 01 02 03
                + " " + CLIENT_CLOSE_1000);
        StepVerifier.create(session.receive().map(RawPeer::hexAndRelease))
                .expectNext("TEXT 48656c6c6f", "BINARY 010203")
                .expectComplete()
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(SERVER_CLOSE_1000);
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NORMAL).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void assemblesAFragmentedMessageAndAnswersAPingInBetween() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes("01 83 00000000 48656c" // text "Hel", not final
                + " 89 81 00000000 70"      // ping "p"
                + " 80 82 00000000 6c6f"    // continuation "lo", final
                + " " + CLIENT_CLOSE_1000);
        StepVerifier.create(session.receive().map(RawPeer::textAndRelease))
                .expectNext("TEXT Hello")
                .expectComplete()
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed("8a 01 70" // pong "p"
                + SERVER_CLOSE_1000);
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void deliversFragmentsAsTheirBytesArrive() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        StepVerifier.create(session.receiveFragments().map(RawPeer::textAndRelease))
                .then(() -> peer.writes("01 83 00000000 48656c")) // text "Hel", not final
                .expectNext("TEXT… Hel")
                .then(() -> peer.writes("80 85 00000000 6c6f"))     // continuation "lo" (3 more bytes to come)
                .expectNext("TEXT… lo")
                .then(() -> peer.writes("212121"))
                .expectNext("TEXT !!!")
                .then(() -> peer.writes(CLIENT_CLOSE_1000))
                .expectComplete()
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(SERVER_CLOSE_1000);
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void readsFramesOnlyAsMessagesAreDemanded() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes("81 81 00000000 61", "81 81 00000000 62", "81 81 00000000 63"); // three reads, one message each
        StepVerifier.create(session.receive().map(RawPeer::textAndRelease), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> assertThat(peer.lowerRequests).as("nothing read without demand").isEmpty())
                .thenRequest(1)
                .expectNext("TEXT a")
                .then(() -> assertThat(peer.lowerRequests).containsExactly(1L))
                .thenRequest(1)
                .expectNext("TEXT b")
                .then(() -> assertThat(peer.lowerRequests).containsExactly(1L, 1L))
                .thenCancel()
                .verify(TIMEOUT);
        session.close();
        peer.awaitReceived(SERVER_CLOSE_1000);
        peer.writes(CLIENT_CLOSE_1000);
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NORMAL).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void readsTheSameConversationSplitAtEveryByte() {
        RawPeer peer = RawPeer.create(TrackedPipes.options().chunking(Chunking.everyByte()));
        WebSocketSession session = peer.server();
        peer.writes("01 83 01020304 49676f" // masked text "Hel" (key 01020304), not final
                + " 89 82 00000000 7069"    // ping "pi"
                + " 80 82 a1b2c3d4 cddd"    // masked continuation "lo", final
                + " 82 fe 0100 00000000 " + "ab".repeat(256) // binary, 16-bit length 256
                + " 88 85 00000000 03e9 627965");              // close 1001 "bye"
        StepVerifier.create(session.receive().map(RawPeer::hexAndRelease))
                .expectNext("TEXT 48656c6c6f", "BINARY " + "ab".repeat(256))
                .expectComplete()
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed("8a 02 7069" + " 88 02 03e9"); // pong "pi", close 1001 echoed
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.of(1001, "bye")).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void answersThePingsItReads() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes("89 81 00000000 01", "89 81 00000000 02", "89 81 00000000 03", CLIENT_CLOSE_1000);
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NORMAL).verifyComplete();
        String all = peer.awaitClosed();
        assertThat(all).endsWith(SERVER_CLOSE_1000.replace(" ", ""));
        String pongs = all.substring(0, all.length() - SERVER_CLOSE_1000.replace(" ", "").length());
        assertThat(List.of("8a0101" + "8a0102" + "8a0103", "8a0102" + "8a0103", "8a0101" + "8a0103", "8a0103"))
                .as("each ping answered, or covered by the pong of a later one").contains(pongs);
        peer.closeAndAssertNothingLeaks();
    }

    // Violations seen end to end: the exact close frame, the statuses, everything released.

    private static void assertFailsWith(String clientFrames, int code, String reason) {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes(clientFrames);
        StepVerifier.create(session.receive().doOnNext(WebSocketMessage::release).then()).expectComplete()
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(serverClose(code, reason));
        StepVerifier.create(session.closeStatusSent()).expectNext(CloseStatus.of(code, reason)).verifyComplete();
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.ABNORMAL_CLOSURE).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesWith1002OnAnUnmaskedClientFrame() {
        assertFailsWith("81 05 48656c6c6f", 1002, "client frames must be masked");
    }

    @Test
    void closesWith1002OnRsv1WithoutPermessageDeflate() {
        assertFailsWith("c1 81 00000000 61", 1002, "RSV1 set without a negotiated extension");
    }

    @Test
    void closesWith1002OnAReservedOpcode() {
        assertFailsWith("83 80 00000000", 1002, "reserved opcode 0x3");
    }

    @Test
    void closesWith1002OnAFragmentedPing() {
        assertFailsWith("09 80 00000000", 1002, "control frames must be final");
    }

    @Test
    void closesWith1002OnAContinuationWithoutAMessage() {
        assertFailsWith("80 81 00000000 61", 1002, "continuation frame without a message to continue");
    }

    @Test
    void closesWith1002OnANewMessageInsideAFragmentedOne() {
        assertFailsWith("01 81 00000000 61 81 81 00000000 62", 1002, "new text frame inside a fragmented message");
    }

    @Test
    void closesWith1002OnA64BitLengthWithTheTopBitSet() {
        assertFailsWith("82 ff 8000000000000000", 1002, "64-bit length with the most significant bit set");
    }

    @Test
    void closesWith1007OnInvalidUtf8InASingleFrame() {
        assertFailsWith("81 84 00000000 cebaeda0", 1007, "invalid UTF-8 at byte 3 of a text message");
    }

    @Test
    void closesWith1007OnInvalidUtf8AcrossFragmentsBeforeTheMessageEnds() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        StepVerifier.create(session.receive().doOnNext(WebSocketMessage::release).then())
                .then(() -> peer.writes("01 82 00000000 ceba")) // text "κ", not final: valid so far
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> peer.writes("00 81 00000000 ed"))   // continuation: ED opens a sequence
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> peer.writes("00 81 00000000 a0"))   // continuation: ED A0 is a surrogate
                .expectComplete()                                // no final fragment was needed
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(serverClose(1007, "invalid UTF-8 at byte 3 of a text message"));
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesWith1007InsideASingleFrameBeforeItsEndArrives() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        StepVerifier.create(session.receive().doOnNext(WebSocketMessage::release).then())
                .then(() -> peer.writes("81 8a 00000000 4142")) // text of 10 bytes: "AB" so far
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> peer.writes("c0"))                   // C0: never valid; 7 bytes still to come
                .expectComplete()
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(serverClose(1007, "invalid UTF-8 at byte 2 of a text message"));
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void acceptsACharacterSplitAcrossFragmentsButNotOneCutByTheMessageEnd() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes("01 81 00000000 ce" // text: the first byte of "κ", not final
                + " 00 81 00000000 ba"  // continuation: its second byte
                + " 80 82 00000000 f09f" + " " + CLIENT_CLOSE_1000); // final continuation ends inside "😀"
        StepVerifier.create(session.receiveFragments().map(RawPeer::hexAndRelease))
                .expectNext("TEXT… ce", "TEXT… ba")
                .expectComplete()
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(serverClose(1007, "text message ends inside a UTF-8 sequence"));
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesWith1007OnATextMessageEndingInsideACharacter() {
        assertFailsWith("01 82 00000000 ceba 80 81 00000000 e2", 1007, "text message ends inside a UTF-8 sequence");
    }

    @Test
    void closesWith1009OnAFrameOverTheLimit() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server(WebSocketSettings.builder().maxFrameSize(100).build(), null);
        peer.writes("82 e5 00000000"); // binary of 101 bytes: refused at its header
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(serverClose(1009, "frame of 101 bytes exceeds the limit of 100 bytes"));
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesWith1009OnAMessageOverTheLimitAcrossFragments() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server(WebSocketSettings.builder().maxMessageSize(4).build(), null);
        peer.writes("02 83 00000000 010203" // binary, 3 bytes, not final
                + " 80 82 00000000 0405");   // continuation, 2 more: 5 > 4
        StepVerifier.create(session.receiveFragments().map(RawPeer::hexAndRelease))
                .expectNext("BINARY… 010203")
                .expectComplete()
                .verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(serverClose(1009, "message exceeds the limit of 4 bytes"));
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesWith1009WhenAWholeMessageCannotFitTheBudget() {
        RawPeer peer = RawPeer.create(TrackedPipes.options().waterMarks(16 * 1024, 32 * 1024));
        WebSocketSession session = peer.server(WebSocketSettings.builder().maxMessageSize(1 << 20).build(), null);
        String header = "82 ff 0000000000010000 00000000"; // binary, 64 KiB
        peer.writes(header, "00".repeat(16 * 1024), "00".repeat(16 * 1024), "00".repeat(16 * 1024),
                "00".repeat(16 * 1024));
        StepVerifier.create(session.receive().doOnNext(WebSocketMessage::release).then()).expectComplete()
                .verify(TIMEOUT);
        assertThat(session.closeStatusSent().block(TIMEOUT)).extracting(CloseStatus::code).isEqualTo(1009);
        assertThat(session.closeStatusSent().block(TIMEOUT).reason())
                .startsWith("message does not fit the connection's buffer budget");
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void streamsAMessageLargerThanTheBudgetAsFragments() {
        RawPeer peer = RawPeer.create(TrackedPipes.options().waterMarks(16 * 1024, 32 * 1024));
        WebSocketSession session = peer.server(WebSocketSettings.builder().maxMessageSize(1 << 20).build(), null);
        peer.writes("82 ff 0000000000040000 00000000", "00".repeat(256 * 1024), CLIENT_CLOSE_1000); // 256 KiB
        StepVerifier.create(session.receiveFragments()
                        .map(m -> {
                            int size = m.content().readableBytes();
                            m.release();
                            return size;
                        })
                        .reduce(0, Integer::sum))
                .expectNext(256 * 1024)
                .verifyComplete();
        peer.awaitReceivedAllAndClosed(SERVER_CLOSE_1000);
        peer.closeAndAssertNothingLeaks();
    }
}
