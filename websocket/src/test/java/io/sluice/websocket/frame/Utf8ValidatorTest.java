package io.sluice.websocket.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Well-formed UTF-8 per Unicode Table 3-7, checked incrementally and failing at the first bad byte. */
class Utf8ValidatorTest {

    private static ByteBuf bytes(String hex) {
        return Unpooled.wrappedBuffer(Hex.bytes(hex));
    }

    /** The offset of the first bad byte of {@code hex}, or -1, feeding it in one piece. */
    private static long firstBad(String hex) {
        Utf8Validator v = new Utf8Validator();
        ByteBuf b = bytes(hex);
        int bad = v.update(b, b.readerIndex(), b.readableBytes());
        return bad < 0 ? -1 : bad;
    }

    private static boolean complete(String hex) {
        return Utf8Validator.isValid(bytes(hex));
    }

    @Test
    void acceptsEveryWellFormedLength() {
        assertThat(complete("")).isTrue();
        assertThat(complete("48656c6c6f")).isTrue();             // "Hello"
        assertThat(complete("c2a9")).isTrue();                   // U+00A9, 2 bytes
        assertThat(complete("e282ac")).isTrue();                 // U+20AC, 3 bytes
        assertThat(complete("f09f9880")).isTrue();               // U+1F600, 4 bytes
        assertThat(complete("cebae1bdb9cf83cebcceb5")).isTrue(); // "κόσμε"
        assertThat(complete("f48fbfbf")).isTrue();               // U+10FFFF, the last code point
        assertThat(complete("ed9fbf")).isTrue();                 // U+D7FF, just below the surrogates
        assertThat(complete("ee8080")).isTrue();                 // U+E000, just above them
        assertThat(complete("efbfbf")).isTrue();                 // U+FFFF, a noncharacter but well-formed
    }

    @Test
    void failsOnOverlongForms() {
        assertThat(firstBad("c0af")).isZero();      // '/' in two bytes
        assertThat(firstBad("c1bf")).isZero();
        assertThat(firstBad("e080af")).isEqualTo(1); // '/' in three bytes: E0 needs A0..BF next
        assertThat(firstBad("f08080af")).isEqualTo(1); // '/' in four bytes: F0 needs 90..BF next
    }

    @Test
    void failsOnSurrogates() {
        assertThat(firstBad("eda080")).isEqualTo(1); // U+D800
        assertThat(firstBad("edbfbf")).isEqualTo(1); // U+DFFF
    }

    @Test
    void failsOnCodePointsAboveU10ffff() {
        assertThat(firstBad("f4908080")).isEqualTo(1); // U+110000
        assertThat(firstBad("f5808080")).isZero();     // F5 starts nothing
        assertThat(firstBad("ff")).isZero();
    }

    @Test
    void failsOnStrayContinuationBytes() {
        assertThat(firstBad("41 80")).isEqualTo(1);
        assertThat(firstBad("c2a9 bf")).isEqualTo(2);
    }

    @Test
    void failsOnALeadByteWhereAContinuationIsDue() {
        assertThat(firstBad("e282 41")).isEqualTo(2);
    }

    @Test
    void findsTheBadByteAfterALongAsciiRun() {
        assertThat(firstBad("41".repeat(37) + "ff" + "41".repeat(9))).isEqualTo(37);
    }

    @Test
    void knowsATruncatedSequenceOnlyAtTheEnd() {
        Utf8Validator v = new Utf8Validator();
        assertThat(v.update(bytes("48 f09f98"))).isTrue();
        assertThat(v.isComplete()).as("cut inside U+1F600").isFalse();
        assertThat(v.update(bytes("80 21"))).isTrue();
        assertThat(v.isComplete()).isTrue();
    }

    @Test
    void failsFastAcrossPiecesAndStaysFailed() {
        Utf8Validator v = new Utf8Validator();
        assertThat(v.update(bytes("cebae1bdb9cf83cebcceb5 ed"))).isTrue(); // valid so far, ED opens a sequence
        ByteBuf next = bytes("a080 656469746564");                          // ED A0: a surrogate
        assertThat(v.update(next, 0, next.readableBytes())).isZero();
        assertThat(v.position()).isEqualTo(12);
        assertThat(v.update(bytes("41"))).isFalse();
        assertThat(v.isComplete()).isFalse();
        v.reset();
        assertThat(v.update(bytes("41"))).isTrue();
        assertThat(v.isComplete()).isTrue();
    }

    @Test
    void splitsAnywhereWithTheSameVerdict() {
        byte[] text = Hex.bytes("cebae1bdb9cf83cebcceb5f09f9880efbfbfc2a9");
        for (int split = 0; split <= text.length; split++) {
            Utf8Validator v = new Utf8Validator();
            assertThat(v.update(Unpooled.wrappedBuffer(text, 0, split))).isTrue();
            assertThat(v.update(Unpooled.wrappedBuffer(text, split, text.length - split))).isTrue();
            assertThat(v.isComplete()).as("split at " + split).isTrue();
        }
    }
}
