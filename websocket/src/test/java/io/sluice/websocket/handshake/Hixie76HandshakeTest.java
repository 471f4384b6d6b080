package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.Answers.refusal;
import static io.sluice.websocket.handshake.Answers.refusedAnswer;
import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static io.sluice.websocket.handshake.WirePipe.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.pipe.Chunking;
import io.sluice.websocket.WebSocketVersion;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The legacy Hixie-76 (HyBi-00) handshake: off by default, and the draft's own sample when enabled. */
class Hixie76HandshakeTest {

    /** The sample handshake of draft-ietf-hybi-thewebsocketprotocol-00 §1.2, head and 8-byte challenge. */
    static final String DRAFT_SAMPLE = crlf("""
            GET /demo HTTP/1.1
            Host: example.com
            Connection: Upgrade
            Sec-WebSocket-Key2: 12998 5 Y3 1  .P00
            Sec-WebSocket-Protocol: sample
            Upgrade: WebSocket
            Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5
            Origin: http://example.com

            """) + "^n:ds[4U";

    /** The draft's answer to it: the head, then the 16-byte MD5 answer to the challenge. */
    static final String DRAFT_ANSWER = crlf("""
            HTTP/1.1 101 WebSocket Protocol Handshake
            Upgrade: WebSocket
            Connection: Upgrade
            Sec-WebSocket-Origin: http://example.com
            Sec-WebSocket-Location: ws://example.com/demo
            Sec-WebSocket-Protocol: sample

            """) + "8jKS'y:G*Co,Wxa-";

    private static final ServerHandshake ENABLED =
            ServerHandshake.builder().hixie76(true).subprotocols("sample").build();

    @Test
    void answersTheDraftSampleWithItsChallengeResponse() {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWrites(DRAFT_SAMPLE);
        HandshakeResult result = ENABLED.accept(wire.local).block(TIMEOUT);
        result.connection().close();

        assertThat(answer.join()).isEqualTo(DRAFT_ANSWER);
        assertThat(result.version()).isEqualTo(WebSocketVersion.HIXIE_76);
        assertThat(result.subprotocol()).isEqualTo("sample");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void readsTheChallengeWhateverTheSplitAndPassesOnTheFramesBehindIt() {
        String firstFrame = "\u0000hello\u00ff";
        WirePipe wire = new WirePipe(Chunking.everyByte());
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWrites(DRAFT_SAMPLE + firstFrame);
        HandshakeResult result = ENABLED.accept(wire.local).block(TIMEOUT);

        StepVerifier.create(result.connection().receive().map(WirePipe::textAndRelease)
                        .scan(String::concat).filter(s -> s.length() == firstFrame.length()).next())
                .expectNext(firstFrame)
                .verifyComplete();
        result.connection().close();
        assertThat(answer.join()).isEqualTo(DRAFT_ANSWER);
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void isRefusedWith426WhenNotEnabled() {
        assertThat(refusedAnswer(ServerHandshake.builder().build(), DRAFT_SAMPLE))
                .isEqualTo(refusal(426, "missing Sec-WebSocket-Version",
                        "Upgrade: websocket", "Sec-WebSocket-Version: 13, 8, 7"));
    }

    @Test
    void refusesAKeyWithoutSpaces() {
        assertThat(refusedAnswer(ENABLED, DRAFT_SAMPLE.replace("4 @1  46546xW%0l 1 5", "4@146546xW%0l15")))
                .isEqualTo(refusal(400, "invalid Sec-WebSocket-Key1"));
    }

    @Test
    void refusesAKeyWhoseNumberIsNotAMultipleOfItsSpaces() {
        // 1299853100 is a multiple of its 12 spaces; 1299853101 is not.
        assertThat(refusedAnswer(ENABLED, DRAFT_SAMPLE.replace("12998 5 Y3 1  .P00", "12998 5 Y3 1  .P01")))
                .isEqualTo(refusal(400, "invalid Sec-WebSocket-Key2"));
    }

    @Test
    void refusesARequestWithoutOrigin() {
        assertThat(refusedAnswer(ENABLED, DRAFT_SAMPLE.replace("Origin: http://example.com\r\n", "")))
                .isEqualTo(refusal(400, "missing Origin"));
    }

    @Test
    void refusesAnOriginOutsideTheAllowList() {
        ServerHandshake handshake = ServerHandshake.builder().hixie76(true).allowedOrigins("https://a.example").build();

        assertThat(refusedAnswer(handshake, DRAFT_SAMPLE)).isEqualTo(refusal(403, "origin not allowed: http://example.com"));
    }

    @Test
    void namesWssInTheLocationOverTls() {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWrites(DRAFT_SAMPLE);
        ServerHandshake.builder().hixie76(true).secure(true).build().accept(wire.local).block(TIMEOUT)
                .connection().close();

        assertThat(answer.join()).contains("Sec-WebSocket-Location: wss://example.com/demo\r\n")
                .doesNotContain("Sec-WebSocket-Protocol");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void namesTheResourceOnceInTheLocationForAnAbsoluteFormTarget() {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        // RFC 7230 §5.3.2: a server accepts the absolute-form; its authority stands for the Host field (§5.4).
        wire.peerWrites(DRAFT_SAMPLE.replace("GET /demo ", "GET http://ws.example.com:8080/demo?room=1 "));
        ENABLED.accept(wire.local).block(TIMEOUT).connection().close();

        assertThat(answer.join()).contains("Sec-WebSocket-Location: ws://ws.example.com:8080/demo?room=1\r\n");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void answers400WhenThePeerClosesBeforeTheChallengeIsComplete() {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWritesAndShuts(DRAFT_SAMPLE.substring(0, DRAFT_SAMPLE.length() - 3));
        StepVerifier.create(ENABLED.accept(wire.local)).expectComplete().verify(TIMEOUT);

        assertThat(answer.join()).isEqualTo(refusal(400, "the connection closed before the 8 bytes after the head arrived"));
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void keyNumbersFollowTheDraft() {
        assertThat(Hixie76.keyNumber("4 @1  46546xW%0l 1 5")).isEqualTo(829309203L);
        assertThat(Hixie76.keyNumber("12998 5 Y3 1  .P00")).isEqualTo(259970620L);
        assertThat(Hixie76.keyNumber("1 2 3 4 5 6 7 8 9 0 1")).isEqualTo(-1); // 11 digits: beyond 32 bits
    }

    static String text(ByteBuf buf) {
        return WirePipe.textAndRelease(buf);
    }
}
