package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.Answers.refusal;
import static io.sluice.websocket.handshake.Answers.refusedAnswer;
import static io.sluice.websocket.handshake.ServerHandshakeTest.RFC_SAMPLE;
import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static io.sluice.websocket.handshake.WirePipe.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.pipe.Chunking;
import io.sluice.test.RandomChunking;
import io.sluice.websocket.http.HttpLimits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.test.StepVerifier;

/** The request head as the server reads it: any split, the bytes after it, its bounds, malformed heads, time. */
class RequestHeadTest {

    private static final ServerHandshake SERVER = ServerHandshake.builder().subprotocols("chat").build();
    private static final String ANSWER_START = "HTTP/1.1 101 Switching Protocols\r\n";

    private static void assertUpgrades(WirePipe wire, String... writes) {
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWrites(writes);
        HandshakeResult result = SERVER.accept(wire.local).block(TIMEOUT);
        assertThat(result).isNotNull();
        assertThat(result.subprotocol()).isEqualTo("chat");
        result.connection().close();
        assertThat(answer.join()).startsWith(ANSWER_START).contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void upgradesWhereverTheHeadIsSplitInTwo() {
        for (int i = 1; i < RFC_SAMPLE.length(); i++) {
            assertUpgrades(WirePipe.whole(), RFC_SAMPLE.substring(0, i), RFC_SAMPLE.substring(i));
        }
    }

    @Test
    void upgradesWhenEveryByteArrivesAlone() {
        assertUpgrades(new WirePipe(Chunking.everyByte()), RFC_SAMPLE);
    }

    @Test
    void upgradesUnderRandomSplits() {
        for (long seed = 0; seed < 50; seed++) {
            assertUpgrades(new WirePipe(RandomChunking.seeded(seed, 16)), RFC_SAMPLE);
        }
    }

    @Test
    void ignoresEmptyLinesBeforeTheRequestLine() {
        assertUpgrades(WirePipe.whole(), "\r\n\r\n" + RFC_SAMPLE);
    }

    @ParameterizedTest(name = "split at {0}")
    @CsvSource({"0", "1", "100", "180", "181", "182", "-1"})
    void deliversTheBytesAfterTheHeadThroughTheUpgradedConnection(int extraSplit) {
        String frames = "\u0081\u0085\u0037\u00fa\u0021\u003d\u007f\u009f\u004d\u0051\u0058" + "tail".repeat(50);
        String wire = RFC_SAMPLE + frames;
        for (Chunking chunking : new Chunking[] {Chunking.whole(), Chunking.everyByte(), Chunking.atMost(7)}) {
            WirePipe pipe = new WirePipe(chunking);
            pipe.peerReceivesAll().subscribe();
            int at = extraSplit < 0 ? wire.length() : Math.min(RFC_SAMPLE.length() + extraSplit, wire.length());
            pipe.peerWrites(wire.substring(0, at), wire.substring(at));
            HandshakeResult result = SERVER.accept(pipe.local).block(TIMEOUT);

            StepVerifier.create(result.connection().receive().map(WirePipe::textAndRelease)
                            .scan(String::concat).filter(s -> s.length() >= frames.length()).next())
                    .expectNext(frames)
                    .verifyComplete();
            result.connection().close();
            pipe.closeAndAssertNothingLeaks();
        }
    }

    @Test
    void deliversTheEndOfTheStreamAfterTheBytesThatFollowedTheHead() {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        wire.peerWritesAndShuts(RFC_SAMPLE + "after");
        HandshakeResult result = SERVER.accept(wire.local).block(TIMEOUT);

        StepVerifier.create(result.connection().receive().map(WirePipe::textAndRelease))
                .expectNext("after")
                .verifyComplete();
        result.connection().close();
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void releasesTheBytesAfterTheHeadWhenTheUpgradedConnectionClosesUnread() {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        wire.peerWrites(RFC_SAMPLE + "never read");
        HandshakeResult result = SERVER.accept(wire.local).block(TIMEOUT);
        result.connection().close();
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesAHeadLargerThanTheLimitWith431() {
        ServerHandshake small = ServerHandshake.builder().limits(new HttpLimits(256, 100)).build();
        String request = RFC_SAMPLE.replace("Host:", "X-Padding: " + "p".repeat(100) + "\r\nHost:");

        assertThat(refusedAnswer(small, request)).isEqualTo(refusal(431, "head larger than 256 bytes"));
    }

    @Test
    void refusesAnEndlessLineOnceItCrossesTheLimit() {
        ServerHandshake small = ServerHandshake.builder().limits(new HttpLimits(256, 100)).build();
        WirePipe wire = new WirePipe(Chunking.atMost(64));
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWrites("GET /" + "a".repeat(1000)); // no line end ever comes
        StepVerifier.create(small.accept(wire.local)).expectComplete().verify(TIMEOUT);

        assertThat(answer.join()).isEqualTo(refusal(431, "head larger than 256 bytes"));
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesMoreHeaderFieldsThanTheLimitWith431() {
        ServerHandshake few = ServerHandshake.builder().limits(new HttpLimits(8192, 6)).build();

        assertThat(refusedAnswer(few, RFC_SAMPLE)).isEqualTo(refusal(431, "more than 6 header fields"));
    }

    @Test
    void defaultLimitsAreEightKibibytesAndAHundredFields() {
        assertThat(HttpLimits.DEFAULT).isEqualTo(new HttpLimits(8192, 100));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "GET /chat HTTP/1.1\\r\\nHost: a\\r\\n folded: value\\r\\n\\r\\n       | 400 | obsolete line folding is not allowed",
        "GET /chat HTTP/1.1\\r\\n Host: a\\r\\n\\r\\n                          | 400 | obsolete line folding is not allowed",
        "GET /chat HTTP/1.1\\nHost: a\\r\\n\\r\\n                             | 400 | line not ended by CRLF",
        "GET /chat HTTP/1.1\\r\\nHost: a\\rb\\r\\n\\r\\n                       | 400 | bare CR in the head",
        "GET /chat HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n                          | 400 | malformed header field name",
        "GET /chat HTTP/1.1\\r\\n: a\\r\\n\\r\\n                               | 400 | malformed header field",
        "GET /chat HTTP/1.1\\r\\nHost a\\r\\n\\r\\n                            | 400 | malformed header field",
        "GET /chat HTTP/1.1\\r\\nHost: a\\u0000b\\r\\n\\r\\n                   | 400 | invalid character in header Host",
        "GET /chat HTTP/1.1\\r\\nX-Bell: \\u0007\\r\\n\\r\\n                   | 400 | invalid character in header X-Bell",
        "GET  /chat HTTP/1.1\\r\\n\\r\\n                                      | 400 | malformed request line",
        "GET /chat\\r\\n\\r\\n                                                | 400 | malformed request line",
        "GET /chat HTTP/1.1 extra\\r\\n\\r\\n                                 | 400 | malformed request line",
        "G(T /chat HTTP/1.1\\r\\n\\r\\n                                       | 400 | malformed request method",
        "GET chat HTTP/1.1\\r\\n\\r\\n                                        | 400 | malformed request target",
        "GET /ch\\u00e4t HTTP/1.1\\r\\n\\r\\n                                  | 400 | malformed request target",
        "GET /chat HTTP/1.x\\r\\n\\r\\n                                       | 400 | malformed HTTP version",
        "GET /chat http/1.1\\r\\n\\r\\n                                       | 400 | malformed HTTP version",
        "GET /chat HTTP/2.0\\r\\n\\r\\n                                       | 505 | HTTP version 2.0 is not supported",
        "GET /chat HTTP/0.9\\r\\n\\r\\n                                       | 505 | HTTP version 0.9 is not supported",
    })
    void refusesAMalformedHeadWithItsStatusAndReason(String head, int status, String reason) {
        String request = head.strip().replace("\\r", "\r").replace("\\n", "\n")
                .replace("\\u0000", "\u0000").replace("\\u0007", "\u0007").replace("\\u00e4", "\u00e4");

        assertThat(refusedAnswer(SERVER, request)).isEqualTo(refusal(status, reason));
    }

    @Test
    void answers400WhenThePeerClosesInTheMiddleOfTheHead() {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWritesAndShuts(RFC_SAMPLE.substring(0, 40));
        StepVerifier.create(SERVER.accept(wire.local)).expectComplete().verify(TIMEOUT);

        assertThat(answer.join()).isEqualTo(refusal(400, "the connection closed before the head was complete"));
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void closesQuietlyWhenThePeerClosesWithoutSendingAnything() {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peer.shutdownOutput();
        StepVerifier.create(SERVER.accept(wire.local)).expectComplete().verify(TIMEOUT);

        assertThat(answer.join()).isEmpty();
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void answers408AndClosesWhenTheHeadDoesNotArriveInTime() {
        ServerHandshake impatient = ServerHandshake.builder().timeout(Duration.ofMillis(200)).build();
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWrites(RFC_SAMPLE.substring(0, 50)); // and nothing more

        StepVerifier.create(impatient.accept(wire.local)).expectComplete().verify(TIMEOUT);
        assertThat(answer.join()).isEqualTo(refusal(408, "no complete request head within 200 ms"));
        StepVerifier.create(wire.local.onClose()).expectComplete().verify(TIMEOUT);
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void answers408WhenAHixieChallengeDoesNotArriveInTime() {
        ServerHandshake impatient = ServerHandshake.builder().hixie76(true).timeout(Duration.ofMillis(200)).build();
        String sample = Hixie76HandshakeTest.DRAFT_SAMPLE;

        assertThat(refusedAnswer(impatient, sample.substring(0, sample.length() - 4)))
                .isEqualTo(refusal(408, "no complete request head within 200 ms"));
    }

    @Test
    void requestLineAndFieldsAreKeptAsReceived() {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        wire.peerWrites(crlf("""
                GET http://server.example.com/chat?x=1 HTTP/1.1
                Host: server.example.com
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                X-Empty:
                X-Spaced:   a  b\t
                Sec-WebSocket-Version: 13

                """));
        HandshakeResult result = SERVER.accept(wire.local).block(TIMEOUT);
        result.connection().close();

        assertThat(result.request().target()).isEqualTo("http://server.example.com/chat?x=1");
        assertThat(result.request().path()).isEqualTo("/chat");
        assertThat(result.request().headers().get("x-empty")).isEmpty();
        assertThat(result.request().headers().get("X-SPACED")).isEqualTo("a  b");
        assertThat(result.request().headers().name(5)).isEqualTo("X-Spaced");
        wire.closeAndAssertNothingLeaks();
    }
}
