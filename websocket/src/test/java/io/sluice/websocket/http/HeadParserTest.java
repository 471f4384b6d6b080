package io.sluice.websocket.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.test.SluiceTest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The head parser on its own: response heads, what it leaves in the buffer, and its bounds. */
class HeadParserTest {

    private static ByteBuf bytes(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return SluiceTest.allocator().buffer(b.length).writeBytes(b);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 101 Switching Protocols | 101 | Switching Protocols",
        "HTTP/1.1 404                     | 404 | ''",
        "HTTP/1.1 200 ''                  | 200 | ''",
        "HTTP/1.0 503 Busy, try later     | 503 | Busy, try later",
    })
    void readsAStatusLine(String line, int status, String reason) throws HttpHeadException {
        ByteBuf in = bytes(line.replace("''", "") + "\r\nX-A: 1\r\n\r\n");
        try {
            HttpResponseHead head = HeadParser.response(HttpLimits.DEFAULT).parse(in);
            assertThat(head.status()).isEqualTo(status);
            assertThat(head.reason()).isEqualTo(reason);
            assertThat(head.headers().get("x-a")).isEqualTo("1");
        } finally {
            in.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 99 Continue    | malformed status line",
        "HTTP/1.1 099 Odd        | malformed status code",
        "HTTP/1.1 1a1 Odd        | malformed status code",
        "HTTP/1.1 101Switching   | malformed status line",
        "HTTP/2 101 Switching    | malformed status line",
        "HTTP/3.0 101 Switching  | HTTP version 3.0 is not supported",
    })
    void refusesAMalformedStatusLine(String line, String reason) {
        ByteBuf in = bytes(line + "\r\n\r\n");
        try {
            assertThatThrownBy(() -> HeadParser.response(HttpLimits.DEFAULT).parse(in))
                    .isInstanceOf(HttpHeadException.class).hasMessage(reason);
        } finally {
            in.release();
        }
    }

    @Test
    void leavesTheBytesAfterTheHeadUnreadInTheBuffer() throws HttpHeadException {
        ByteBuf in = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody");
        try {
            assertThat(HeadParser.request(HttpLimits.DEFAULT).parse(in).target()).isEqualTo("/");
            assertThat(in.toString(StandardCharsets.ISO_8859_1)).isEqualTo("body");
        } finally {
            in.release();
        }
    }

    @Test
    void consumesOnlyCompleteLinesAndResumesWhereItStopped() throws HttpHeadException {
        HeadParser<HttpRequestHead> parser = HeadParser.request(HttpLimits.DEFAULT);
        ByteBuf in = bytes("GET / HTTP/1.1\r\nHo");
        try {
            assertThat(parser.parse(in)).isNull();
            assertThat(in.toString(StandardCharsets.ISO_8859_1)).isEqualTo("Ho");
            in.writeBytes("st: a\r\n\r".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(parser.parse(in)).isNull();
            in.writeByte('\n');
            assertThat(parser.parse(in).headers().get("Host")).isEqualTo("a");
            assertThat(parser.consumed()).isEqualTo(27);
        } finally {
            in.release();
        }
    }

    @Test
    void countsTheWholeHeadAgainstTheLimitIncludingItsLastEmptyLine() throws HttpHeadException {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"; // 27 bytes
        ByteBuf exact = bytes(head);
        ByteBuf over = bytes(head);
        try {
            assertThat(HeadParser.request(new HttpLimits(27, 10)).parse(exact)).isNotNull();
            assertThatThrownBy(() -> HeadParser.request(new HttpLimits(26, 10)).parse(over))
                    .isInstanceOf(HttpHeadException.class).hasMessage("head larger than 26 bytes")
                    .satisfies(e -> assertThat(((HttpHeadException) e).status()).isEqualTo(431));
        } finally {
            exact.release();
            over.release();
        }
    }

    /**
     * Found by HeadParserFuzzTest: trimming a value with {@code String.strip()} dropped the control characters Java
     * counts as whitespace (VT, FF, FS..US) at either end instead of refusing them; only SP and HTAB are optional
     * whitespace (RFC 7230 §3.2.3).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "VT before the value | 58 2d 41 3a 20 0b 76         | X-A: <VT>v",
        "FF after the value  | 58 2d 41 3a 20 76 0c         | X-A: v<FF>",
        "US after the value  | 58 2d 41 3a 20 76 1f 20      | X-A: v<US><SP>",
        "FS as the value     | 58 2d 41 3a 1c               | X-A:<FS>",
        "RS between tabs     | 58 2d 41 3a 20 09 1e 09 76   | X-A: <HT><RS><HT>v",
    })
    void refusesAControlCharacterAtEitherEndOfAHeaderValue(String what, String fieldHex, String field) {
        ByteBuf in = bytes("GET / HTTP/1.1\r\n");
        in.writeBytes(HexFormat.ofDelimiter(" ").parseHex(fieldHex));
        in.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        try {
            assertThatThrownBy(() -> HeadParser.request(HttpLimits.DEFAULT).parse(in))
                    .as(field).isInstanceOf(HttpHeadException.class).hasMessage("invalid character in header X-A")
                    .satisfies(e -> assertThat(((HttpHeadException) e).status()).isEqualTo(400));
        } finally {
            in.release();
        }
    }

    @Test
    void trimsOnlySpacesAndTabsAroundAHeaderValue() throws HttpHeadException {
        ByteBuf in = bytes("GET / HTTP/1.1\r\nX-A: \t v \t w\t \r\n\r\n");
        try {
            assertThat(HeadParser.request(HttpLimits.DEFAULT).parse(in).headers().get("X-A")).isEqualTo("v \t w");
        } finally {
            in.release();
        }
    }

    @Test
    void headersRefuseFieldsThatCouldSplitAHead() {
        assertThatThrownBy(() -> HttpHeaders.of("X-Evil", "a\r\nInjected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-Evil has a forbidden character at index 1");
        assertThatThrownBy(() -> HttpHeaders.of("Bad Name", "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name is not a token: \"Bad Name\"");
    }

    @Test
    void listFieldsCombineAcrossRepeatedFields() {
        HttpHeaders h = HttpHeaders.of("Connection", "keep-alive, ", "connection", " Upgrade");

        assertThat(h.tokens("CONNECTION")).containsExactly("keep-alive", "Upgrade");
        assertThat(h.containsToken("Connection", "upgrade")).isTrue();
        assertThat(h.joined("Connection")).isEqualTo("keep-alive, ,  Upgrade");
        assertThat(h.count("connection")).isEqualTo(2);
    }
}
