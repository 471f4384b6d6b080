package io.sluice.websocket.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded differential fuzzing of {@link Utf8Validator} against the JDK's strict UTF-8 decoder (malformed input
 * reported, not replaced): on random bytes drawn around every UTF-8 boundary, on well-formed text, and on text with
 * surrogates, overlong forms, code points past U+10FFFF and sequences cut short at the end spliced in, fed whole, in
 * buffers of random sizes, and as one composite buffer of many components, the validator must agree with the JDK on
 * whether the bytes are UTF-8, and name as the first bad byte the one before which, and not after which, the JDK
 * finds that the bytes could still begin well-formed text. A failure names the seed and the input.
 */
class Utf8ValidatorFuzzTest {

    private static final int ITERATIONS = Fuzz.iterations(400);
    /** The edges of every continuation byte range of Unicode Table 3-7. */
    private static final int[] CONTINUATION_EDGES = {0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf};

    /** Byte sequences that break UTF-8 in a particular way, or sit just inside its edges. */
    private static final String[] EDGES = {
        "eda080", "edbfbf", "ed9fbf",     // a surrogate's first and last; the last code point before them
        "c0af", "c1bf", "c280",            // overlong two-byte forms; the first two-byte character
        "e080af", "e09fbf", "e0a080",      // overlong three-byte forms; the first three-byte character
        "f08080af", "f08fbfbf", "f0908080", // overlong four-byte forms; the first four-byte character
        "f4908080", "f7bfbfbf", "f48fbfbf", // past U+10FFFF; U+10FFFF itself
        "f5", "f8", "fe", "ff", "80", "bf", // never valid anywhere
        "e2", "e282", "f09f", "f09f98",     // cut short
    };

    @Test
    void agreesWithTheJdkDecoderOnRandomBytesFedInRandomPieces() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                byte[] input = switch (i % 4) {
                    case 0 -> Mutations.interestingBytes(r, 40);
                    case 1 -> Mutations.randomBytes(r, 24);
                    case 2 -> Mutations.mutate(r, WireFrames.utf8(r, 64)).bytes();
                    default -> withEdges(r);
                };
                checkCase(seed, i, input, r);
            }
        }
    }

    @Test
    void acceptsWellFormedTextHoweverItIsSplit() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS / 5; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                byte[] input = WireFrames.utf8(r, 2_000);
                checkCase(seed, i, input, r);
                try {
                    assertThat(jdkAccepts(input)).as("the JDK's verdict").isTrue();
                } catch (AssertionError e) {
                    throw new AssertionError(Fuzz.describe(seed, i, "well-formed text", input), e);
                }
            }
        }
    }

    private static void checkCase(long seed, int iteration, byte[] input, SplittableRandom r) {
        try {
            boolean expectedValid = jdkAccepts(input);
            int[] cuts = Mutations.cuts(r, input.length);
            Verdict pieces = inPieces(input, cuts);
            Verdict composite = inComposite(input, cuts);
            Verdict whole = inPieces(input, new int[0]);
            assertThat(whole.valid()).as("whole: valid").isEqualTo(expectedValid);
            if (whole.firstBad() < 0) {
                assertThat(couldBeginValidText(input, input.length)).as("the JDK: the input could begin valid text")
                        .isTrue();
            } else {
                int bad = (int) whole.firstBad();
                assertThat(couldBeginValidText(input, bad)).as("the JDK: the bytes before the first bad one could "
                        + "begin valid text").isTrue();
                assertThat(couldBeginValidText(input, bad + 1)).as("the JDK: the bytes up to the first bad one "
                        + "could begin valid text").isFalse();
            }
            assertThat(pieces).as("in pieces").isEqualTo(whole);
            assertThat(composite).as("as a composite").isEqualTo(whole);
            assertThat(Utf8Validator.isValid(Unpooled.wrappedBuffer(input))).as("isValid").isEqualTo(expectedValid);
        } catch (Throwable t) {
            throw new AssertionError(Fuzz.describe(seed, iteration, "UTF-8 validation", input), t);
        }
    }

    /** What the validator said: well-formed and complete, and the offset of the first bad byte (-1: none). */
    private record Verdict(boolean valid, long firstBad) {
    }

    private static Verdict inPieces(byte[] input, int[] cuts) {
        Utf8Validator v = new Utf8Validator();
        long bad = -1;
        int from = 0;
        for (int k = 0; k <= cuts.length && bad < 0; k++) {
            int to = k < cuts.length ? cuts[k] : input.length;
            // Read from a non-zero reader index, so that offsets within the buffer are checked too.
            ByteBuf buf = piece(input, from - 3, to, k % 2 == 0).skipBytes(3);
            int at = v.update(buf, buf.readerIndex(), buf.readableBytes());
            if (at >= 0) {
                assertThat(at).as("bad byte index within the buffer").isBetween(buf.readerIndex(),
                        buf.writerIndex() - 1);
                bad = from + (at - buf.readerIndex());
                assertThat(v.position()).as("position() at the bad byte").isEqualTo(bad);
            }
            from = to;
        }
        return new Verdict(bad < 0 && v.isComplete(), bad);
    }

    private static Verdict inComposite(byte[] input, int[] cuts) {
        ByteBuf[] parts = new ByteBuf[cuts.length + 1];
        int from = 0;
        for (int k = 0; k <= cuts.length; k++) {
            int to = k < cuts.length ? cuts[k] : input.length;
            parts[k] = piece(input, from, to, k % 2 == 0);
            from = to;
        }
        ByteBuf composite = Unpooled.wrappedBuffer(parts);
        Utf8Validator v = new Utf8Validator();
        int at = v.update(composite, composite.readerIndex(), composite.readableBytes());
        return new Verdict(at < 0 && v.isComplete(), at < 0 ? -1 : at - composite.readerIndex());
    }

    /**
     * Bytes {@code from..to} of the input (a negative {@code from}: that many zeros first) in a buffer on the heap or
     * in direct memory. The validator only reads, and these buffers own no pooled memory: wrapped, they escape the
     * paranoid leak detector's per-access stack traces, which would cost more than the validation.
     */
    private static ByteBuf piece(byte[] input, int from, int to, boolean direct) {
        byte[] bytes = new byte[to - from];
        int start = Math.max(0, from);
        System.arraycopy(input, start, bytes, start - from, to - start);
        return direct ? Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip())
                : Unpooled.wrappedBuffer(bytes);
    }

    /** Well-formed text with one to three edge sequences spliced in anywhere, the end included. */
    private static byte[] withEdges(SplittableRandom r) {
        byte[] text = WireFrames.utf8(r, 24);
        int edges = 1 + r.nextInt(3);
        for (int e = 0; e < edges; e++) {
            byte[] edge = Hex.bytes(EDGES[r.nextInt(EDGES.length)]);
            int at = r.nextBoolean() ? text.length : r.nextInt(text.length + 1);
            byte[] out = new byte[text.length + edge.length];
            System.arraycopy(text, 0, out, 0, at);
            System.arraycopy(edge, 0, out, at, edge.length);
            System.arraycopy(text, at, out, at + edge.length, text.length - at);
            text = out;
        }
        return text;
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Whether the JDK's strict decoder takes the bytes as a whole message. */
    private static boolean jdkAccepts(byte[] input) {
        CharsetDecoder d = strictDecoder();
        CharBuffer out = CharBuffer.allocate(input.length + 1);
        CoderResult result = d.decode(ByteBuffer.wrap(input), out, true);
        return !result.isError() && !d.flush(out).isError();
    }

    /**
     * Whether the first {@code length} bytes could begin a well-formed message, as the JDK's strict decoder judges:
     * it reports nothing malformed in them read as a stream, and the sequence they end with, if cut short, has some
     * completion the decoder accepts (continuation bytes tried at every edge of the ranges Unicode Table 3-7 allows).
     */
    private static boolean couldBeginValidText(byte[] input, int length) {
        ByteBuffer in = ByteBuffer.wrap(input, 0, length);
        if (strictDecoder().decode(in, CharBuffer.allocate(length + 1), false).isError()) {
            return false;
        }
        byte[] tail = new byte[in.remaining()];
        in.get(tail);
        return tail.length == 0 || completes(tail, new byte[0]);
    }

    private static boolean completes(byte[] tail, byte[] added) {
        byte[] candidate = new byte[tail.length + added.length];
        System.arraycopy(tail, 0, candidate, 0, tail.length);
        System.arraycopy(added, 0, candidate, tail.length, added.length);
        if (added.length > 0 && jdkAccepts(candidate)) {
            return true;
        }
        if (added.length == 3) {
            return false;
        }
        for (int b : CONTINUATION_EDGES) {
            byte[] more = Arrays.copyOf(added, added.length + 1);
            more[added.length] = (byte) b;
            if (completes(tail, more)) {
                return true;
            }
        }
        return false;
    }
}
