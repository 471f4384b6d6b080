package io.sluice.websocket.http;

import static io.sluice.websocket.http.Latin1.latin1;

import io.sluice.test.Mutations;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Inputs for the fuzz tests of what a WebSocket endpoint reads before it speaks WebSocket: heads, handshakes and
 * extension headers. The test kit's {@link Mutations}, mixed with mutations of HTTP's text: a number replaced by a
 * boundary one, a line repeated, a bare CR or LF, a range grown past the limits, a letter's case flipped; and random
 * text over a head's own characters. No buffers cross this class.
 */
public final class HeadMutations {

    /** Replacements for a number in the text: the edges of the ranges the grammar and the code care about. */
    private static final String[] BOUNDARY_NUMBERS = {
        "0", "00", "-1", "1", "7", "8", "9", "15", "16", "13", "99", "100", "999", "1000", "65535", "2147483647",
        "2147483648", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999999",
    };
    /** A head's letters, digits and delimiters, CRLF twice as likely, and a few bytes a head may not hold. */
    private static final String HEAD_ALPHABET = "GETHP/1.0 aZ:-\r\n\r\n\t,;=\"\\\u0000\u007f\u0080\u00ff";

    private HeadMutations() {
    }

    /**
     * One fuzz input from {@code valid}: most often a mutation of one of them, sometimes one of them as it is, purely
     * random bytes, or random text over a head's characters (which gets further into a parser than noise does).
     */
    public static Mutations.Mutant next(SplittableRandom r, byte[][] valid) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            return new Mutations.Mutant(Mutations.randomBytes(r, 300), "random bytes");
        }
        if (kind == 1) {
            return new Mutations.Mutant(headText(r, 1 + r.nextInt(300)), "random head text");
        }
        int which = r.nextInt(valid.length);
        if (kind == 2) {
            return new Mutations.Mutant(valid[which].clone(), "valid input #" + which);
        }
        Mutations.Mutant m = mutate(r, valid[which]);
        return new Mutations.Mutant(m.bytes(), "valid input #" + which + ", " + m.how());
    }

    /** {@code length} random characters of {@link #HEAD_ALPHABET}. */
    public static byte[] headText(SplittableRandom r, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) HEAD_ALPHABET.charAt(r.nextInt(HEAD_ALPHABET.length()));
        }
        return b;
    }

    /**
     * {@code valid} with one to three mutations, each one of HTTP's (five times in eleven) or one of
     * {@link Mutations#mutateOnce}; {@code valid} itself is not changed.
     */
    public static Mutations.Mutant mutate(SplittableRandom r, byte[] valid) {
        return Mutations.mutate(r, valid, HeadMutations::mutateOnce);
    }

    private static byte[] mutateOnce(SplittableRandom r, byte[] b, StringBuilder how) {
        if (b.length == 0) {
            return Mutations.mutateOnce(r, b, how);
        }
        return switch (r.nextInt(11)) {
            case 0 -> replaceNumber(r, b, how);
            case 1 -> duplicateLine(r, b, how);
            case 2 -> bareLineEnd(r, b, how);
            case 3 -> grow(r, b, how);
            case 4 -> flipCase(r, b, how);
            default -> Mutations.mutateOnce(r, b, how);
        };
    }

    /** Replaces one run of digits (a version, a status, window bits, a key's digits) with a boundary number. */
    private static byte[] replaceNumber(SplittableRandom r, byte[] b, StringBuilder how) {
        int start = r.nextInt(b.length);
        while (start < b.length && !isDigit(b[start])) {
            start++;
        }
        if (start == b.length) {
            how.append("no number to replace");
            return b;
        }
        int end = start;
        while (end < b.length && isDigit(b[end])) {
            end++;
        }
        String number = BOUNDARY_NUMBERS[r.nextInt(BOUNDARY_NUMBERS.length)];
        how.append("number at ").append(start).append(" replaced by ").append(number);
        return Mutations.splice(b, start, end - start, latin1(number));
    }

    /** Repeats one whole line, CRLF included: duplicate header fields. */
    private static byte[] duplicateLine(SplittableRandom r, byte[] b, StringBuilder how) {
        int start = r.nextInt(b.length);
        while (start > 0 && b[start - 1] != '\n') {
            start--;
        }
        int end = start;
        while (end < b.length && b[end] != '\n') {
            end++;
        }
        if (end == b.length) {
            how.append("no whole line to repeat");
            return b;
        }
        how.append("line at ").append(start).append(" repeated");
        return Mutations.splice(b, start, 0, Arrays.copyOfRange(b, start, end + 1));
    }

    /** Drops the CR or the LF of one line end. */
    private static byte[] bareLineEnd(SplittableRandom r, byte[] b, StringBuilder how) {
        int at = r.nextInt(b.length);
        while (at < b.length - 1 && !(b[at] == '\r' && b[at + 1] == '\n')) {
            at++;
        }
        if (at >= b.length - 1) {
            how.append("no line end to break");
            return b;
        }
        boolean dropLf = r.nextBoolean();
        how.append(dropLf ? "LF" : "CR").append(" of the line end at ").append(at).append(" dropped");
        return Mutations.splice(b, at + (dropLf ? 1 : 0), 1, new byte[0]);
    }

    /** Repeats a range in place up to some 12,000 bytes: a long line, a long head, many fields. */
    private static byte[] grow(SplittableRandom r, byte[] b, StringBuilder how) {
        int at = r.nextInt(b.length);
        int length = 1 + r.nextInt(Math.min(48, b.length - at));
        byte[] range = Arrays.copyOfRange(b, at, at + length);
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        int copies = 1 + r.nextInt(12_000 / length);
        for (int i = 0; i < copies; i++) {
            many.writeBytes(range);
        }
        how.append(length).append(" bytes at ").append(at).append(" repeated ").append(copies).append(" more times");
        return Mutations.splice(b, at, 0, many.toByteArray());
    }

    /** Flips the case of a letter: names compare ignoring case, tokens and versions do not. */
    private static byte[] flipCase(SplittableRandom r, byte[] b, StringBuilder how) {
        int at = r.nextInt(b.length);
        if (!(b[at] >= 'a' && b[at] <= 'z' || b[at] >= 'A' && b[at] <= 'Z')) {
            how.append("no letter at ").append(at).append(" to flip");
            return b;
        }
        byte[] c = b.clone();
        c[at] ^= 0x20;
        how.append("case of the letter at ").append(at).append(" flipped");
        return c;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
