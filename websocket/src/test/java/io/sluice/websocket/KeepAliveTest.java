package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static io.sluice.websocket.RawPeer.serverClose;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Keep-alive pings: sent on an interval; answered, they keep the session; a late pong ends it (1001 sent, 1006
 * seen).
 */
class KeepAliveTest {

    private static final String PING_1 = "89 08 0000000000000001";
    private static final String PING_2 = "89 08 0000000000000002";

    @Test
    void pingsOnTheIntervalAndStaysOpenWhileAnswered() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server(WebSocketSettings.builder().pingInterval(Duration.ofMillis(20))
                .pongTimeout(Duration.ofSeconds(5)).build(), null);
        session.receive().subscribe(WebSocketMessage::release);
        peer.awaitReceived(PING_1);
        peer.writes("8a 88 00000000 0000000000000001"); // the pong, masked with a zero key
        peer.awaitReceived(PING_1 + PING_2);
        peer.writes("8a 88 00000000 0000000000000002");
        peer.writes("88 82 00000000 03e8");
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NORMAL).verifyComplete();
        assertThat(peer.awaitClosed()).startsWith((PING_1 + PING_2).replace(" ", "")).endsWith("880203e8");
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void sendsNoSecondPingWhileTheFirstIsUnanswered() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server(WebSocketSettings.builder().pingInterval(Duration.ofMillis(10))
                .pongTimeout(Duration.ofSeconds(5)).build(), null);
        session.receive().subscribe(WebSocketMessage::release);
        peer.awaitReceived(PING_1);
        StepVerifier.create(session.closeStatus()).expectSubscription().expectNoEvent(Duration.ofMillis(100))
                .thenCancel().verify();
        assertThat(peer.received()).isEqualTo(PING_1.replace(" ", ""));
        peer.writes("8a 88 00000000 00000000000000ff"); // a pong for no ping of ours: ignored
        peer.writes("88 82 00000000 03e8");
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NORMAL).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void dropsTheConnectionWhenAPongIsLate() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server(WebSocketSettings.builder().pingInterval(Duration.ofMillis(20))
                .pongTimeout(Duration.ofMillis(50)).build(), null);
        session.receive().subscribe(WebSocketMessage::release);
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.ABNORMAL_CLOSURE).verifyComplete();
        StepVerifier.create(session.closeStatusSent()).expectNext(CloseStatus.of(1001, "pong timeout"))
                .verifyComplete();
        peer.awaitReceivedAllAndClosed(PING_1 + serverClose(1001, "pong timeout"));
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void answersPingsBetweenSessionsWithoutTheApplication() {
        SessionPair pair = new SessionPair(io.sluice.test.TrackedPipes.options(), WebSocketSettings.builder()
                .pingInterval(Duration.ofMillis(10)).pongTimeout(Duration.ofSeconds(1)).build(), null);
        pair.client.receive().subscribe(WebSocketMessage::release);
        pair.server.receive().subscribe(WebSocketMessage::release);
        // About 200 pings each way: unanswered, the first would end a session after a second.
        StepVerifier.create(pair.client.closeStatus()).expectSubscription().expectNoEvent(Duration.ofSeconds(2))
                .thenCancel().verify(TIMEOUT);
        pair.close();
        assertThat(pair.client.closeStatus().block(TIMEOUT)).isEqualTo(CloseStatus.NORMAL);
    }
}
