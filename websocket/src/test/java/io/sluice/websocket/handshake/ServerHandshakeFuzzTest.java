package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static io.sluice.websocket.http.Latin1.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.test.Fuzz;
import io.sluice.test.LeakTrackingAllocator;
import io.sluice.test.Mutations;
import io.sluice.test.RandomChunking;
import io.sluice.websocket.FuzzAllocators;
import io.sluice.websocket.WebSocketVersion;
import io.sluice.websocket.http.HeadParser;
import io.sluice.websocket.http.HeadMutations;
import io.sluice.websocket.http.HttpHeadException;
import io.sluice.websocket.http.HttpLimits;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpResponseHead;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.util.TestLogger;
import reactor.util.Loggers;

/**
 * Whole server handshakes over a pipe, the peer writing a random or mutated request split at random and then
 * closing its side. Each gets exactly one well-formed answer, the one its bytes call for (found by parsing and
 * deciding on them unsplit): 101 with the right {@code Sec-WebSocket-Accept} (or Hixie-76 answer) and the bytes
 * after the head passed on, or the documented 4xx/5xx with its {@code Content-Length} body, the connection closed;
 * or nothing when nothing was sent; one WARN line for each refusal of bad input. No buffer is left behind by any
 * iteration.
 */
class ServerHandshakeFuzzTest {

    private static final HttpLimits LIMITS = new HttpLimits(1024, 24);
    private static final ServerHandshake HANDSHAKE = ServerHandshake.builder()
            .paths("/chat", "/ws", "/demo").subprotocols("chat", "sample").permessageDeflate().hixie76(true)
            .allowedOrigins("http://example.com", "http://127.0.0.1:9000").limits(LIMITS).timeout(TIMEOUT).build();
    private static final ServerNegotiation.Policy POLICY = new ServerNegotiation.Policy(Set.of("/chat", "/ws", "/demo"),
            List.of("chat", "sample"), Set.of("http://example.com", "http://127.0.0.1:9000"),
            ServerDeflateOptions.DEFAULT, true, false);
    private static final byte[][] REQUESTS = {
        latin1("GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n"),
        latin1("GET /ws?room=1 HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nConnection: Upgrade\r\nPragma: no-cache\r\n"
                + "Upgrade: websocket\r\nOrigin: http://127.0.0.1:9000\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
                + "\u0081\u0085\u0037\u00fa\u0021\u003d\u007f\u009f\u004d\u0051\u0058"),
        latin1("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\nSec-WebSocket-Version: 8\r\n"
                + "Sec-WebSocket-Origin: http://example.com\r\n\r\n"),
        latin1(Hixie76HandshakeTest.DRAFT_SAMPLE),
        latin1("GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: text/html\r\n\r\n"),
        latin1("HEAD / HTTP/1.1\r\nHost: example.com\r\n\r\n"),
    };

    /** The kit's leak tracking, checked after every iteration (see {@link FuzzAllocators#leakTracking()}). */
    private final LeakTrackingAllocator allocator = FuzzAllocators.leakTracking();

    @Test
    void everyRequestGetsExactlyTheOneWellFormedAnswerItsBytesCallFor() {
        TestLogger log = new TestLogger(false);
        Loggers.useCustomLoggers(name -> log); // the handshake looks its logger up on each use
        try {
            fuzzRequests(log);
        } finally {
            Loggers.resetLoggerFactory();
        }
    }

    private void fuzzRequests(TestLogger log) {
        int count = Fuzz.iterations(60);
        for (long seed : Fuzz.seeds()) {
            SplittableRandom r = Fuzz.random(seed);
            for (int i = 0; i < count; i++) {
                Mutations.Mutant mutant = HeadMutations.next(r, REQUESTS);
                byte[] input = mutant.bytes();
                long splitSeed = r.nextLong();
                log.reset();
                try {
                    Expected expected = expected(input);
                    int maxRead = 1 + (int) (splitSeed & 127);
                    WirePipe wire = new WirePipe(RandomChunking.seeded(splitSeed, maxRead), allocator);
                    CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
                    wire.peerWritesAndShuts(latin1(input));
                    CountingLayer counted = new CountingLayer(wire.local);
                    HandshakeResult result = HANDSHAKE.accept(counted).block(TIMEOUT);
                    String actual = result == null ? refused(wire, answer, expected)
                            : upgraded(result, answer, input, expected);
                    assertThat(actual).isEqualTo(expected.outcome());
                    assertThat(log.getErrContent().split("\\[ WARN]", -1)).as("one WARN line per refusal: "
                            + log.getErrContent()).hasSize(1 + expected.warnings());
                    if (result == null) {
                        // one buffer is requested at a time, and none once the limit is crossed
                        assertThat(counted.received.get()).as("bytes read by a handshake that refused")
                                .isLessThanOrEqualTo(LIMITS.maxHeadSize() + Hixie76.CHALLENGE_LENGTH + maxRead);
                    }
                    wire.closeAndAssertNothingLeaks();
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.describe(seed, i, mutant.how(), input) + ": " + t, t);
                }
            }
        }
    }

    @Test
    void aPeerThatStopsMidHeadAndStaysOpenIsAnswered408AfterTheTimeout() {
        ServerHandshake quick = ServerHandshake.builder().hixie76(true).timeout(Duration.ofMillis(100)).build();
        for (long seed : Fuzz.seeds(8)) {
            SplittableRandom r = Fuzz.random(seed);
            byte[] valid = REQUESTS[r.nextInt(REQUESTS.length)];
            byte[] input = Arrays.copyOf(valid, 1 + r.nextInt(valid.length - 1));
            try {
                if (!expected(input).incomplete()) {
                    continue; // the prefix holds a whole head: not what this test is about
                }
                WirePipe wire = WirePipe.whole();
                CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
                wire.peerWrites(latin1(input));
                assertThat(quick.accept(wire.local).block(TIMEOUT)).isNull();
                assertThat(responseHead(answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), false).status())
                        .isEqualTo(408);
                wire.local.onClose().block(TIMEOUT);
                wire.closeAndAssertNothingLeaks();
            } catch (Throwable t) {
                throw new AssertionError(Fuzz.describe(seed, 0, "a valid request cut short", input) + ": " + t, t);
            }
        }
    }

    /** The connection under test, counting the bytes the handshake takes from it. */
    private static final class CountingLayer extends ConnectionLayer {
        final AtomicLong received = new AtomicLong();

        CountingLayer(Connection lower) {
            super(lower);
        }

        @Override
        public Flux<ByteBuf> receive() {
            return lower.receive().doOnNext(b -> received.addAndGet(b.readableBytes()));
        }
    }

    /**
     * What the server must do with {@code input}, found without the server: parse it whole, decide on the head.
     *
     * @param outcome    {@code answered N}, {@code upgraded VERSION} or {@code closed quietly}
     * @param consumed   the head's length, when there is one
     * @param headOnly   whether the answer has no body (a HEAD request)
     * @param incomplete whether the input stops before the handshake has what it needs
     * @param warnings   how many WARN lines the server logs: one for bad input, none for the rest
     */
    private record Expected(String outcome, int consumed, boolean headOnly, boolean incomplete, int warnings) {
    }

    private Expected expected(byte[] input) {
        if (input.length == 0) {
            return new Expected("closed quietly", 0, false, true, 0);
        }
        ByteBuf in = allocator.buffer(input.length).writeBytes(input);
        HeadParser<HttpRequestHead> parser = HeadParser.request(LIMITS);
        HttpRequestHead head;
        try {
            head = parser.parse(in);
        } catch (HttpHeadException e) {
            return new Expected("answered " + e.status(), 0, false, false, 1);
        } finally {
            in.release();
        }
        if (head == null) {
            return new Expected("answered 400", 0, false, true, 1);
        }
        Decision decision = ServerNegotiation.decide(head, POLICY);
        if (decision instanceof Decision.Refuse refuse) {
            return new Expected("answered " + refuse.status(), parser.consumed(), false, false, 1);
        }
        if (decision instanceof Decision.Plain) {
            return new Expected("answered 426", parser.consumed(), head.method().equals("HEAD"), false, 0);
        }
        Decision.Upgrade upgrade = (Decision.Upgrade) decision;
        if (upgrade.needsChallenge() && input.length - parser.consumed() < Hixie76.CHALLENGE_LENGTH) {
            return new Expected("answered 400", parser.consumed(), false, true, 1);
        }
        return new Expected("upgraded " + upgrade.version(), parser.consumed(), false, false, 0);
    }

    /** Checks a refusal is one whole response, body as long as it says, then the connection closed. */
    private String refused(WirePipe wire, CompletableFuture<String> answer, Expected expected)
            throws Exception {
        String text = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        wire.local.onClose().block(TIMEOUT);
        if (text.isEmpty()) {
            return "closed quietly";
        }
        HttpResponseHead head = responseHead(text, expected.headOnly());
        assertThat(head.headers().containsToken("Connection", "close")).as("Connection: close in " + text).isTrue();
        return "answered " + head.status();
    }

    /** Checks a 101 and its accept key or challenge answer, and that the bytes after the request are passed on. */
    private String upgraded(HandshakeResult result, CompletableFuture<String> answer, byte[] input,
                                   Expected expected) throws Exception {
        String passedOn = result.connection().receive().map(WirePipe::textAndRelease)
                .reduce("", String::concat).defaultIfEmpty("").block(TIMEOUT);
        result.connection().close();
        String text = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        int headEnd = text.indexOf("\r\n\r\n") + 4;
        HttpResponseHead head = responseHead(text.substring(0, headEnd), false);
        assertThat(head.status()).isEqualTo(101);
        int after = expected.consumed();
        if (result.version() == WebSocketVersion.HIXIE_76) {
            after += Hixie76.CHALLENGE_LENGTH;
            assertThat(text.length() - headEnd).as("Hixie-76 answer length").isEqualTo(16);
        } else {
            assertThat(text).as("nothing after the head").hasSize(headEnd);
            String key = result.request().headers().get("Sec-WebSocket-Key");
            assertThat(head.headers().getAll("Sec-WebSocket-Accept")).containsExactly(AcceptKey.accept(key));
            assertThat(head.headers().containsToken("Upgrade", "websocket")).isTrue();
            assertThat(head.headers().containsToken("Connection", "Upgrade")).isTrue();
            // a subprotocol and an extension only as offered, and as the result says
            assertThat(head.headers().get("Sec-WebSocket-Protocol")).isEqualTo(result.subprotocol());
            if (result.subprotocol() != null) {
                assertThat(result.request().headers().tokens("Sec-WebSocket-Protocol")).contains(result.subprotocol());
            }
            assertThat(head.headers().contains("Sec-WebSocket-Extensions")).isEqualTo(result.deflate() != null);
            if (result.deflate() != null) {
                assertThat(result.request().headers().joined("Sec-WebSocket-Extensions"))
                        .containsIgnoringCase("permessage-deflate");
            }
        }
        assertThat(passedOn).as("bytes after the handshake")
                .isEqualTo(latin1(Arrays.copyOfRange(input, after, input.length)));
        return "upgraded " + result.version();
    }

    /** Parses {@code text} as one response; its body, unless {@code headOnly}, is exactly {@code Content-Length}. */
    private HttpResponseHead responseHead(String text, boolean headOnly) throws HttpHeadException {
        ByteBuf in = allocator.buffer(text.length()).writeBytes(latin1(text));
        try {
            HttpResponseHead head = HeadParser.response(new HttpLimits(1 << 16, 100)).parse(in);
            assertThat(head).as("a whole response head in " + text).isNotNull();
            if (head.status() != 101) {
                String length = head.headers().get("Content-Length");
                assertThat(length).as("Content-Length in " + text).isNotNull();
                assertThat(in.readableBytes()).as("body length").isEqualTo(headOnly ? 0 : Integer.parseInt(length));
            }
            return head;
        } finally {
            in.release();
        }
    }
}
