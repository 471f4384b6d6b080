package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.ConnectionClosedException;
import io.sluice.api.pipe.Chunking;
import io.sluice.test.TrackedPipes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** A server session speaking the legacy Hixie-76 framing to a raw peer. */
class Hixie76SessionTest {

    private static WebSocketSession server(RawPeer peer) {
        return peer.session(WebSocketRole.SERVER, WebSocketVersion.HIXIE_76, WebSocketSettings.defaults());
    }

    @Test
    void exchangesTextAndClosesWithTheHixieClosingHandshake() {
        RawPeer peer = RawPeer.create(TrackedPipes.options().chunking(Chunking.everyByte()));
        WebSocketSession session = server(peer);
        CompletableFuture<Void> echo = session.send(session.receive()).toFuture();
        peer.writes("00 48656c6c6f ff" // "Hello"
                + " 00 ceba ff"        // "κ"
                + " 00 ff");           // empty
        peer.awaitReceived("00 48656c6c6f ff 00 ceba ff 00 ff");
        peer.writes("ff 00");          // closing handshake
        peer.awaitReceivedAllAndClosed("00 48656c6c6f ff 00 ceba ff 00 ff" + " ff 00");
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NO_STATUS_RECEIVED).verifyComplete();
        // The echo was still sending when the session answered the close: it fails, as WebSocketSession says.
        assertThat(echo).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionClosedException.class);
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesToSendBinaryMessages() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = server(peer);
        StepVerifier.create(session.send(Mono.just(WebSocketMessage.binary(session.allocator(), new byte[] {1}))))
                .expectErrorMessage("this WebSocket version carries text messages only")
                .verify(TIMEOUT);
        session.close();
        peer.awaitReceived("ff 00");
        peer.writes("ff 00");
        StepVerifier.create(session.closeStatus()).expectNext(CloseStatus.NO_STATUS_RECEIVED).verifyComplete();
        assertThat(peer.awaitClosed()).isEqualTo("ff00");
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesOnInvalidUtf8() {
        RawPeer peer = RawPeer.create();
        WebSocketSession session = server(peer);
        peer.writes("00 c0af ff");
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed("ff 00");
        StepVerifier.create(session.closeStatusSent().map(CloseStatus::code)).expectNext(1007).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }

    @Test
    void closesWith1007ForInvalidUtf8WithinTheLimitEvenWhenTheFrameOverTheLimitArrivesInOneRead() {
        RawPeer peer = RawPeer.create(); // each write arrives as one read
        WebSocketSession session = peer.session(WebSocketRole.SERVER, WebSocketVersion.HIXIE_76,
                WebSocketSettings.builder().maxMessageSize(100).build());
        peer.writes("00 c0" + "61".repeat(200) + "ff"); // text: C0 is never UTF-8; 201 bytes against a limit of 100
        StepVerifier.create(session.receive()).expectComplete().verify(TIMEOUT);
        peer.awaitReceivedAllAndClosed("ff 00");
        StepVerifier.create(session.closeStatusSent().map(CloseStatus::code)).expectNext(1007).verifyComplete();
        peer.closeAndAssertNothingLeaks();
    }
}
