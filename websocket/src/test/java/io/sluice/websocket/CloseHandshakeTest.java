package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static io.sluice.websocket.RawPeer.serverClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ConnectionClosedException;
import io.sluice.test.TrackedPipes;
import io.sluice.websocket.frame.Hex;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

/**
 * The closing handshake (RFC 6455 §5.5.1, §7): replies, reported statuses (the peer's code and reason, 1005 when it
 * sent none, 1006 when no close frame came), close payload rules, no data after a close, timeouts and races.
 */
class CloseHandshakeTest {

    private static final String SERVER_CLOSE_1000 = "88 02 03e8";

    private static String maskedClose(String payloadHex) {
        int length = payloadHex.replace(" ", "").length() / 2;
        return String.format("88 %02x 00000000 ", 0x80 | length) + payloadHex;
    }

    @Test
    void echoesThePeersCodeAndReportsItsCodeAndReason() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes(maskedClose("0bb8 " + Hex.utf8Hex("done here"))); // close 3000 "done here"
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed("88 02 0bb8"); // the code echoed, without the reason
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.of(3000, "done here")).verifyComplete();
        StepVerifier.create(session.closeStatusSent()).expectNext(CloseStatus.of(3000)).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void answersAnEmptyCloseWithAnEmptyCloseAndReports1005() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes("88 80 00000000"); // close without a status code
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed("88 00");
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NO_STATUS_RECEIVED).verifyComplete();
        assertThat(CloseStatus.NO_STATUS_RECEIVED).isEqualTo(CloseStatus.of(1005, "no status received"));
        StepVerifier.create(session.closeStatusSent()).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void reports1006WhenTheConnectionEndsWithoutACloseFrame() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writesAndShuts("81 81 00000000 61"); // text "a", then the peer shuts its output
        StepVerifier.create(session.receive().map(RawPeer::textAndRelease))
                .expectNext("TEXT a")
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.ABNORMAL_CLOSURE).verifyComplete();
        assertThat(CloseStatus.ABNORMAL_CLOSURE).isEqualTo(CloseStatus.of(1006, "abnormal closure"));
        StepVerifier.create(session.closeStatusSent()).verifyComplete();
        assertThat(peer.awaitClosed()).as("nothing is sent on a dead connection").isEmpty();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void reports1006WhenTheConnectionEndsInsideAFrame() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writesAndShuts("82 85 00000000 0102"); // binary of 5, only 2 sent
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.ABNORMAL_CLOSURE).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void reports1006WhenTheConnectionIsReset() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        StepVerifier.create(session.receive())
                .then(peer.peer::reset)
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.ABNORMAL_CLOSURE).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesWith1002OnACloseFrameWithAOneBytePayload() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes(maskedClose("03"));
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(
                serverClose(1002, "close frame with a 1-byte payload: a status code takes 2 bytes"));
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.ABNORMAL_CLOSURE).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesWith1002OnEveryCloseCodeThatMayNotBeSent() {
        int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
        for (int code : invalid) {
            RawPeer peer = RawPeer.create();
            WebSocketSession session = peer.server();
            peer.writes(maskedClose(String.format("%04x", code)));
            StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
            String all = peer.awaitClosed();
            assertThat(all).as("code " + code).startsWith("88").contains("03ea");
            assertThat(session.closeStatusSent().block(TIMEOUT).code()).as("code " + code).isEqualTo(1002);
            peer.closeAndAssertNothingLeaks();
        }
    }

    @Test
    void echoesEveryValidCloseCode() {
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999};
        for (int code : valid) {
            RawPeer peer = RawPeer.create();
            WebSocketSession session = peer.server();
            peer.writes(maskedClose(String.format("%04x", code)));
            StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
            peer.awaitReceivedAllAndClosed(String.format("88 02 %04x", code));
            StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.of(code)).verifyComplete();
            peer.closeAndAssertNothingLeaks();
        }
    }

    @Test
    void closesWith1007OnACloseReasonThatIsNotUtf8() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes(maskedClose("03e8 cebae1bdb9cf83cebcceb5eda080656469746564")); // "κόσμε" then a surrogate
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(serverClose(1007, "close reason is not valid UTF-8"));
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void acceptsACloseReasonOf123Bytes() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        String reason = "!".repeat(123);
        peer.writes(maskedClose("03e8 " + Hex.utf8Hex(reason)));
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(SERVER_CLOSE_1000);
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.of(1000, reason)).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void sendsNoDataAfterItsCloseAndFailsTheSendsStillWaiting() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        session.close(CloseStatus.of(1001, "going"));
        peer.awaitReceived(serverClose(1001, "going"));
        Mono<Void> late = session.send(Mono.fromSupplier(() -> WebSocketMessage.text(session.allocator(), "late")));
        StepVerifier.create(late).expectError(ConnectionClosedException.class).verify(TIMEOUT);
        peer.writes("81 81 00000000 61" + " 88 82 00000000 03e9"); // data still in flight, then the reply
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.of(1001)).verifyComplete();
        peer.awaitReceivedAllAndClosed(serverClose(1001, "going"));
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void ignoresWhatFollowsThePeersClose() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        peer.writes("88 82 00000000 03e8" // close 1000
                + " 89 80 00000000"        // a ping after it: not answered
                + " 81 81 00000000 61");   // a message after it: not delivered
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed(SERVER_CLOSE_1000);
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void dropsTheConnectionWhenThePeerDoesNotAnswerItsClose() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server(WebSocketSettings.builder()
                .closeTimeout(Duration.ofMillis(100)).build(), null);
        session.close();
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.ABNORMAL_CLOSURE).verifyComplete();
        StepVerifier.create(session.closeStatusSent()).expectNext(CloseStatus.NORMAL).verifyComplete();
        peer.awaitReceivedAllAndClosed(SERVER_CLOSE_1000);
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesToSendACloseStatusReservedForReporting() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server();
        assertThatThrownBy(() -> session.close(CloseStatus.NO_STATUS_RECEIVED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> session.close(CloseStatus.of(1015))).isInstanceOf(IllegalArgumentException.class);
        session.close();
        peer.awaitReceived(SERVER_CLOSE_1000);
        peer.writes("88 82 00000000 03e8");
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NORMAL).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void aClientAnswersTheServersCloseAndWaitsForTheServerToCloseTheConnection() {
        RawPeer peer = RawPeer.create();
        WebSocketSession client = peer.client(WebSocketSettings.defaults(), null);
        peer.writes("88 02 03e8"); // the server's close 1000, unmasked
        StepVerifier.create(client.receive()).expectComplete().verify(TIMEOUT);
        // masked close 1000 with the test key: 03e8 ^ 0102 = 02ea
        peer.awaitReceived("88 82 01020304 02ea");
        StepVerifier.create(client.closeStatus()).expectSubscription().expectNoEvent(Duration.ofMillis(100))
                .thenCancel().verify();
        peer.peer.shutdownOutput(); // the server closes the TCP connection
        StepVerifier.create(client.closeStatus()).expectNext(CloseStatus.NORMAL).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void bothEndsClosingAtOnceEachReportTheOthersStatus() {
        var pipe = io.sluice.api.pipe.Pipe.create(TrackedPipes.options());
        WebSocketSession client = WebSocketSession.create(pipe.left(), WebSocketRole.CLIENT,
                WebSocketVersion.RFC6455, null, null, WebSocketSettings.defaults());
        WebSocketSession server = WebSocketSession.create(pipe.right(), WebSocketRole.SERVER,
                WebSocketVersion.RFC6455, null, null, WebSocketSettings.defaults());
        // Neither end sees the other's close before sending its own.
        pipe.left().stall(true);
        pipe.right().stall(true);
        client.close(CloseStatus.of(4001, "client"));
        server.close(CloseStatus.of(4002, "server"));
        pipe.left().stall(false);
        pipe.right().stall(false);
        StepVerifier.create(client.closeStatus()).expectNext(CloseStatus.of(4002, "server")).verifyComplete();
        StepVerifier.create(server.closeStatus()).expectNext(CloseStatus.of(4001, "client")).verifyComplete();
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    @Test
    void racingClosesEndBothSessionsWithOneOfTheTwoCodes() {
        for (int round = 0; round < 50; round++) {
            var pipe = io.sluice.api.pipe.Pipe.create(TrackedPipes.options());
            WebSocketSession client = WebSocketSession.create(pipe.left(), WebSocketRole.CLIENT,
                    WebSocketVersion.RFC6455, null, null, WebSocketSettings.defaults());
            WebSocketSession server = WebSocketSession.create(pipe.right(), WebSocketRole.SERVER,
                    WebSocketVersion.RFC6455, null, null, WebSocketSettings.defaults());
            RaceTestUtils.race(() -> client.close(CloseStatus.of(4001)), () -> server.close(CloseStatus.of(4002)));
            // Either both closes crossed (each reports the other's), or one end answered the other (both report
            // the first one's code).
            int clientSaw = client.closeStatus().block(TIMEOUT).code();
            int serverSaw = server.closeStatus().block(TIMEOUT).code();
            assertThat(List.of(clientSaw, serverSaw)).as("round " + round)
                    .isIn(List.of(4002, 4001), List.of(4001, 4001), List.of(4002, 4002));
            pipe.close();
            Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
        }
    }
}
