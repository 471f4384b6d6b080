package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static io.sluice.websocket.RawPeer.serverClose;

import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A session failed by the peer's bytes queues its close frame (1002, 1007, 1009; 1001 on a pong timeout) before the
 * application's {@code receive()} ends, so that an application which closes its session when its messages end (as
 * {@link WebSocketServer} does with 1000) cannot put its own close frame first: the peer sees the exact code.
 */
class ProtocolErrorCloseOrderTest {

    /** Echoes, then closes with 1000 once {@code receive()} ends: the shape of a {@link WebSocketServer} handler. */
    private static final Function<WebSocketSession, Mono<Void>> ECHO_THEN_CLOSE =
            s -> s.send(s.receive()).onErrorResume(e -> Mono.empty()).then(Mono.fromRunnable(s::close));

    /** Reads and drops, then closes with 1000 once {@code receive()} ends. */
    private static final Function<WebSocketSession, Mono<Void>> READ_THEN_CLOSE =
            s -> s.receive().doOnNext(WebSocketMessage::release).then(Mono.fromRunnable(s::close));

    private static void assertPeerSees(WebSocketSettings settings, Function<WebSocketSession, Mono<Void>> app,
                                       String clientFrames, int code, String reason) {
        assertPeerSees(settings, app, clientFrames, "", code, reason);
    }

    /** The peer reads {@code echoed}, then exactly the close frame with {@code code} and {@code reason}. */
    private static void assertPeerSees(WebSocketSettings settings, Function<WebSocketSession, Mono<Void>> app,
                                       String clientFrames, String echoed, int code, String reason) {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server(settings, null);
        app.apply(session).subscribe(null, e -> { });
        peer.writes(clientFrames);
        peer.awaitReceivedAllAndClosed(echoed + serverClose(code, reason));
        StepVerifier.create(session.closeStatusSent()).expectNext(CloseStatus.of(code, reason)).verifyComplete();
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.ABNORMAL_CLOSURE).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void anEchoThatClosesWhenReceiveEndsStillSends1009ForAMessageOverTheLimit() {
        assertPeerSees(WebSocketSettings.builder().maxMessageSize(4).build(), ECHO_THEN_CLOSE,
                "82 85 00000000 0102030405", // binary of 5 bytes against a limit of 4
                1009, "message exceeds the limit of 4 bytes");
    }

    @Test
    void anEchoThatClosesWhenReceiveEndsStillSends1009ForAFragmentedMessageOverTheLimit() {
        assertPeerSees(WebSocketSettings.builder().maxMessageSize(4).build(), ECHO_THEN_CLOSE,
                "02 83 00000000 010203 80 82 00000000 0405", // 3 bytes, then 2 more: 5 > 4
                1009, "message exceeds the limit of 4 bytes");
    }

    @Test
    void anApplicationThatClosesWhenReceiveEndsStillSends1009ForAFrameOverTheLimit() {
        assertPeerSees(WebSocketSettings.builder().maxFrameSize(100).build(), READ_THEN_CLOSE,
                "82 e5 00000000", // binary of 101 bytes: refused at its header
                1009, "frame of 101 bytes exceeds the limit of 100 bytes");
    }

    @Test
    void anApplicationThatClosesWhenReceiveEndsStillSends1002ForAnUnmaskedClientFrame() {
        assertPeerSees(WebSocketSettings.defaults(), READ_THEN_CLOSE, "81 05 48656c6c6f",
                1002, "client frames must be masked");
    }

    @Test
    void anApplicationThatClosesWhenReceiveEndsStillSends1002ForACloseFrameWithAOneBytePayload() {
        assertPeerSees(WebSocketSettings.defaults(), ECHO_THEN_CLOSE, "88 81 00000000 03",
                1002, "close frame with a 1-byte payload: a status code takes 2 bytes");
    }

    @Test
    void anEchoThatClosesWhenReceiveEndsStillSends1007ForInvalidUtf8() {
        assertPeerSees(WebSocketSettings.defaults(), ECHO_THEN_CLOSE,
                "81 81 00000000 61 81 84 00000000 cebaeda0", // "a", then a surrogate
                "810161", 1007, "invalid UTF-8 at byte 3 of a text message");
    }

    @Test
    void anApplicationThatClosesWhenReceiveEndsStillSends1001OnAPongTimeout() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = peer.server(WebSocketSettings.builder().pingInterval(Duration.ofMillis(20))
                .pongTimeout(Duration.ofMillis(50)).build(), null);
        READ_THEN_CLOSE.apply(session).subscribe(null, e -> { });
        peer.awaitReceivedAllAndClosed("89 08 0000000000000001" + serverClose(1001, "pong timeout"));
        StepVerifier.create(session.closeStatusSent()).expectNext(CloseStatus.of(1001, "pong timeout"))
                .verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void anApplicationThatClosesWhenReceiveEndsStillSends1009WhenAMessageCannotFitTheBudget() {
        RawPeer peer = RawPeer.create(TrackedPipes.options().waterMarks(16 * 1024, 32 * 1024));
        WebSocketSession session = peer.server(WebSocketSettings.builder().maxMessageSize(1 << 20).build(), null);
        READ_THEN_CLOSE.apply(session).subscribe(null, e -> { });
        peer.writes("82 ff 0000000000010000 00000000", "00".repeat(16 * 1024), "00".repeat(16 * 1024),
                "00".repeat(16 * 1024), "00".repeat(16 * 1024)); // binary of 64 KiB, budget high-water 32 KiB
        StepVerifier.create(session.closeStatusSent().map(CloseStatus::code)).expectNext(1009).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }
}
