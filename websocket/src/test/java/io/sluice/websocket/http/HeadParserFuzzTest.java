package io.sluice.websocket.http;

import static io.sluice.websocket.http.Latin1.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.pipe.Chunking;
import io.sluice.test.Fuzz;
import io.sluice.test.LeakTrackingAllocator;
import io.sluice.test.Mutations;
import io.sluice.test.RandomChunking;
import io.sluice.websocket.FuzzAllocators;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The head parsers fed random bytes, mutations of valid heads and valid heads split anywhere. Whatever the input, a
 * parser either returns a head, refuses it with one of the statuses it documents (400, 431, 505), or waits for more
 * bytes while holding no more than the limit; a head it returns is made only of allowed characters and writes back
 * to itself; and the split input gives exactly the unsplit outcome, down to the bytes left after the head.
 */
class HeadParserFuzzTest {

    private static final Set<Integer> DOCUMENTED = Set.of(400, 431, 505);
    /** Small enough that mutated heads cross them often; the defaults are crossed by the growing mutation. */
    private static final HttpLimits SMALL = new HttpLimits(240, 6);
    /** The smallest limits allowed: shorter than most start lines, one field. */
    private static final HttpLimits TINY = new HttpLimits(16, 1);

    static final byte[][] REQUESTS = {
        latin1("GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n"),
        latin1("GET /ws?room=1 HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nConnection: Upgrade\r\nPragma: no-cache\r\n"
                + "Cache-Control: no-cache\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0\r\n"
                + "Upgrade: websocket\r\nOrigin: http://127.0.0.1:9000\r\nSec-WebSocket-Version: 13\r\n"
                + "Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-US,en;q=0.9\r\n"
                + "Cookie: a=b; c=\"d e\"\r\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
                + "\u0081\u0085\u0037\u00fa\u0021\u003d\u007f\u009f\u004d\u0051\u0058"), // a first masked frame
        latin1("GET /demo HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\nSec-WebSocket-Protocol: sample\r\nUpgrade: WebSocket\r\n"
                + "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nOrigin: http://example.com\r\n\r\n^n:ds[4U"),
        latin1("GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: text/html,*/*;q=0.8\r\n"
                + "If-None-Match: \"abc\"\r\nX-Tab:\tvalue\twith tabs \r\n\r\n"),
        latin1("\r\n\r\nHEAD http://example.com/a?b=c HTTP/1.0\r\nX-Obs-Text: caf\u00e9\r\n\r\n"),
        latin1("OPTIONS * HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello"),
    };

    static final byte[][] RESPONSES = {
        latin1("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n"),
        latin1("HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n"
                + "sec-websocket-accept: HSmrc0sMlYUkAGmm5OPpG2HaGWk=\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                + "server_max_window_bits=10\r\n\r\n\u0081\u0005hello"),
        latin1("HTTP/1.1 101\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
        latin1("HTTP/1.1 101 WebSocket Protocol Handshake\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Origin: http://example.com\r\nSec-WebSocket-Location: ws://example.com/demo\r\n\r\n"
                + "8jKS'y:G*Co,Wxa-"),
        latin1("HTTP/1.0 426 Upgrade Required\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13, 8, 7\r\n"
                + "Content-Length: 3\r\n\r\nno\n"),
    };

    /** The kit's leak tracking, checked after every iteration (see {@link FuzzAllocators#leakTracking()}). */
    private final LeakTrackingAllocator allocator = FuzzAllocators.leakTracking();

    @Test
    void requestHeadsParseOrAreRefusedWithTheirDocumentedStatusWhateverTheBytesAndTheSplit() {
        fuzz(REQUESTS, HeadParser::request, (head, alloc) -> HeadWriter.write(head, alloc, 0), 300);
    }

    @Test
    void responseHeadsParseOrAreRefusedWithTheirDocumentedStatusWhateverTheBytesAndTheSplit() {
        fuzz(RESPONSES, HeadParser::response, (head, alloc) -> HeadWriter.write(head, alloc, 0), 300);
    }

    @Test
    void theValidSeedsParseWholeAndByteByByte() {
        for (byte[][] seeds : new byte[][][] {REQUESTS, RESPONSES}) {
            for (byte[] seed : seeds) {
                Function<HttpLimits, HeadParser<?>> parsers = seeds == REQUESTS ? HeadParser::request
                        : HeadParser::response;
                String whole = outcome(parsers.apply(HttpLimits.DEFAULT), seed, Chunking.whole(), HttpLimits.DEFAULT);
                assertThat(whole).as(latin1(seed)).startsWith("head ");
                assertThat(outcome(parsers.apply(HttpLimits.DEFAULT), seed, Chunking.everyByte(), HttpLimits.DEFAULT))
                        .isEqualTo(whole);
            }
        }
    }

    private <H> void fuzz(byte[][] valid, Function<HttpLimits, HeadParser<H>> parsers,
                          BiFunction<H, ByteBufAllocator, ByteBuf> writer, int iterations) {
        int count = Fuzz.iterations(iterations);
        for (long seed : Fuzz.seeds()) {
            SplittableRandom r = Fuzz.random(seed);
            for (int i = 0; i < count; i++) {
                Mutations.Mutant mutant = HeadMutations.next(r, valid);
                byte[] input = mutant.bytes();
                int pick = r.nextInt(8);
                HttpLimits limits = pick == 0 ? TINY : pick < 3 ? SMALL : HttpLimits.DEFAULT;
                long splitSeed = r.nextLong();
                try {
                    String whole = outcome(parsers.apply(limits), input, Chunking.whole(), limits);
                    if (whole.startsWith("head ")) {
                        checkWritesBack(parsers, writer, input, limits);
                    }
                    RandomChunking chunking = RandomChunking.seeded(splitSeed, 1 + (int) (splitSeed & 63));
                    assertThat(outcome(parsers.apply(limits), input, chunking, limits))
                            .as("the same outcome split as whole").isEqualTo(whole);
                    allocator.assertNoLeaks(Duration.ZERO);
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.describe(seed, i, mutant.how() + ", " + limits, input) + ": " + t, t);
                }
            }
        }
    }

    /**
     * Feeds {@code input} to {@code parser} in the reads {@code chunking} makes, into one growing buffer as the head
     * reader does, checking the parser's promises on the way; describes what happened.
     */
    private String outcome(HeadParser<?> parser, byte[] input, Chunking chunking, HttpLimits limits) {
        ByteBuf in = allocator.buffer(64);
        try {
            int offset = 0;
            while (offset < input.length) {
                int n = chunking.next(input.length - offset);
                in.discardSomeReadBytes();
                in.writeBytes(input, offset, n);
                offset += n;
                Object head;
                try {
                    head = parser.parse(in);
                } catch (HttpHeadException e) {
                    assertThat(DOCUMENTED).as("status of " + e.getMessage()).contains(e.status());
                    if (e.status() == 431) {
                        assertThat(input.length > limits.maxHeadSize() || lineCount(input) > limits.maxHeaderCount())
                                .as("a 431 for a head within the limits").isTrue();
                    }
                    return "refused " + e.status() + ": " + e.getMessage();
                }
                if (head != null) {
                    checkHead(input, parser.consumed(), limits);
                    byte[] rest = Arrays.copyOfRange(input, parser.consumed(), input.length);
                    byte[] held = new byte[in.readableBytes()];
                    in.readBytes(held);
                    assertThat(held).as("bytes after the head").isEqualTo(Arrays.copyOf(rest, held.length));
                    return "head " + head + " then " + Fuzz.hex(rest);
                }
                assertThat((long) parser.consumed() + in.readableBytes()).as("bytes held while waiting")
                        .isLessThanOrEqualTo(limits.maxHeadSize());
            }
            return "incomplete";
        } finally {
            in.release();
        }
    }

    /** What an accepted head is made of, checked on its bytes rather than through the parser's own view of them. */
    private static void checkHead(byte[] input, int consumed, HttpLimits limits) {
        assertThat(consumed).as("head size").isLessThanOrEqualTo(limits.maxHeadSize());
        String head = latin1(Arrays.copyOf(input, consumed));
        assertThat(head).as("head").endsWith("\r\n\r\n");
        for (int i = 0; i < consumed; i++) {
            char c = head.charAt(i);
            boolean crlf = c == '\r' && i + 1 < consumed && head.charAt(i + 1) == '\n'
                    || c == '\n' && i > 0 && head.charAt(i - 1) == '\r';
            assertThat(c >= 0x20 && c != 0x7f || c == '\t' || crlf)
                    .as("accepted a head with control character 0x%02x at %d", (int) c, i).isTrue();
        }
        assertThat(lineCount(latin1(head)))
                .as("lines in the head").isLessThanOrEqualTo(limits.maxHeaderCount() + 2 + leadingEmptyLines(head));
    }

    /** A parsed head written out parses back to the same head. */
    private <H> void checkWritesBack(Function<HttpLimits, HeadParser<H>> parsers,
                                     BiFunction<H, ByteBufAllocator, ByteBuf> writer, byte[] input,
                                     HttpLimits limits) throws HttpHeadException {
        ByteBuf in = allocator.buffer(input.length).writeBytes(input);
        H head;
        try {
            head = parsers.apply(limits).parse(in);
        } finally {
            in.release();
        }
        ByteBuf written = writer.apply(head, allocator);
        try {
            H again = parsers.apply(HttpLimits.DEFAULT).parse(written);
            assertThat(again).as("the head written out and parsed again").isEqualTo(head);
            assertThat(written.isReadable()).as("bytes after the written head").isFalse();
        } finally {
            written.release();
        }
    }

    private static int lineCount(byte[] b) {
        int lines = 0;
        for (byte c : b) {
            if (c == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static int leadingEmptyLines(String head) {
        int n = 0;
        while (head.startsWith("\r\n", 2 * n)) {
            n++;
        }
        return n;
    }
}
