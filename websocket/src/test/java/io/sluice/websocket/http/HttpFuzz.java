package io.sluice.websocket.http;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.sluice.test.LeakTrackingAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Seeded, repeatable inputs for the fuzz tests of what a WebSocket endpoint reads before it speaks WebSocket: heads,
 * handshakes and extension headers. Each test runs {@link #SEEDS} times {@link #iterations(int)} inputs; a failure
 * names the seed, the iteration and the input in hex, which is all it takes to replay it.
 *
 * <p>{@code -Dsluice.fuzz.iterations=N} multiplies every test's default count by N for a long local run.
 */
public final class HttpFuzz {

    /** Fixed, so that every run tries the same inputs; a long run raises the count, not the seeds. */
    public static final long[] SEEDS = {
        0x5EEDL, 1L, 2L, 3L, 42L, 1234L, 0xC0FFEEL, 0xBADC0DEL,
        0x1F2E3D4CL, 7919L, 65537L, 0xDEADBEEFL, 31337L, 271828L, 314159L, 0x7FFF_FFFFL,
    };

    /** The values that break parsers most often: NUL, DEL, the high bit, all ones, and the grammar's delimiters. */
    private static final byte[] INTERESTING = {
        0x00, 0x7F, (byte) 0x80, (byte) 0xFF, '\r', '\n', ' ', '\t', ':', ',', ';', '"', '=', '\\', '/', 0x0B, 0x1F,
    };

    /** Replacements for a number in the text: the edges of the ranges the grammar and the code care about. */
    private static final String[] BOUNDARY_NUMBERS = {
        "0", "00", "-1", "1", "7", "8", "9", "15", "16", "13", "99", "100", "999", "1000", "65535", "2147483647",
        "2147483648", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999999",
    };

    private static final int MAX_SHOWN = 160;

    private HttpFuzz() {
    }

    /**
     * A leak-tracking allocator for many short iterations: the test kit's tracking (every buffer handed out must come
     * back, checked with {@link LeakTrackingAllocator#assertNoLeaks()} after each iteration), over buffers that Netty's
     * paranoid leak detector leaves alone. That detector records a stack trace at every access to a buffer, which
     * makes a parser that reads a head byte by byte, thousands of times, take minutes instead of seconds.
     */
    public static LeakTrackingAllocator iterationAllocator() {
        return LeakTrackingAllocator.wrapping(new UnpooledByteBufAllocator(false, true));
    }

    /** {@code byDefault} times the {@code sluice.fuzz.iterations} multiplier (1 unless set). */
    public static int iterations(int byDefault) {
        return byDefault * Math.max(1, Integer.getInteger("sluice.fuzz.iterations", 1));
    }

    /** ISO-8859-1 bytes: one byte per char, as heads are read. */
    public static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** How a failing input is named in a message: seed, iteration, length and (shortened) hex. */
    public static String describe(long seed, int iteration, byte[] input) {
        return "seed " + seed + ", iteration " + iteration + ", " + input.length + " bytes: " + hex(input);
    }

    /** Hex of {@code b}, its middle elided beyond {@value #MAX_SHOWN} bytes. */
    public static String hex(byte[] b) {
        HexFormat hex = HexFormat.of();
        if (b.length <= MAX_SHOWN) {
            return hex.formatHex(b);
        }
        int half = MAX_SHOWN / 2;
        return hex.formatHex(b, 0, half) + "..." + hex.formatHex(b, b.length - half, b.length);
    }

    /**
     * One fuzz input from {@code valid}: most often a mutation of one of them, sometimes purely random bytes or random
     * text made of the grammar's own characters (which gets further into a parser than noise does).
     */
    public static byte[] next(SplittableRandom r, byte[][] valid) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            return randomBytes(r, 1 + r.nextInt(300));
        }
        if (kind == 1) {
            return randomHeadText(r, 1 + r.nextInt(300));
        }
        byte[] base = valid[r.nextInt(valid.length)];
        return kind == 2 ? base.clone() : mutate(r, base);
    }

    public static byte[] randomBytes(SplittableRandom r, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** Random text over the characters of a head: letters, digits, the delimiters, CRLF and a few bad ones. */
    public static byte[] randomHeadText(SplittableRandom r, int length) {
        String alphabet = "GETHP/1.0 aZ:-\r\n\r\n\t,;=\"\\\u0000\u007f\u0080\u00ff";
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
        }
        return b;
    }

    /** One to three mutations of {@code valid}; {@code valid} itself is not changed. */
    public static byte[] mutate(SplittableRandom r, byte[] valid) {
        byte[] b = valid;
        int count = 1 + r.nextInt(3);
        for (int i = 0; i < count; i++) {
            b = mutateOnce(r, b);
        }
        return b;
    }

    private static byte[] mutateOnce(SplittableRandom r, byte[] b) {
        if (b.length == 0) {
            return randomBytes(r, 1 + r.nextInt(8));
        }
        int at = r.nextInt(b.length);
        switch (r.nextInt(11)) {
            case 0 -> {
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << r.nextInt(8));
                return c;
            }
            case 1 -> {
                byte[] c = b.clone();
                c[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                return c;
            }
            case 2 -> {
                return Arrays.copyOf(b, at);
            }
            case 3 -> {
                int length = 1 + r.nextInt(Math.min(64, b.length - at));
                return splice(b, at, 0, Arrays.copyOfRange(b, at, at + length));
            }
            case 4 -> {
                return splice(b, at, 0, randomBytes(r, 1 + r.nextInt(8)));
            }
            case 5 -> {
                return splice(b, at, 1 + r.nextInt(Math.min(16, b.length - at)), new byte[0]);
            }
            case 6 -> {
                return replaceNumber(r, b);
            }
            case 7 -> {
                return duplicateLine(r, b);
            }
            case 8 -> {
                return bareLineEnd(r, b);
            }
            case 9 -> {
                // Grows a range past the limits: a long line, a long head, many fields.
                int length = 1 + r.nextInt(Math.min(48, b.length - at));
                byte[] range = Arrays.copyOfRange(b, at, at + length);
                ByteArrayOutputStream many = new ByteArrayOutputStream();
                int copies = 1 + r.nextInt(12_000 / length);
                for (int i = 0; i < copies; i++) {
                    many.writeBytes(range);
                }
                return splice(b, at, 0, many.toByteArray());
            }
            default -> {
                // Flips the case of a letter: names compare ignoring case, tokens and versions do not.
                byte[] c = b.clone();
                if (c[at] >= 'a' && c[at] <= 'z' || c[at] >= 'A' && c[at] <= 'Z') {
                    c[at] ^= 0x20;
                }
                return c;
            }
        }
    }

    /** Replaces one run of digits (a version, a status, window bits, a key's digits) with a boundary number. */
    private static byte[] replaceNumber(SplittableRandom r, byte[] b) {
        int start = r.nextInt(b.length);
        while (start < b.length && !isDigit(b[start])) {
            start++;
        }
        if (start == b.length) {
            return b;
        }
        int end = start;
        while (end < b.length && isDigit(b[end])) {
            end++;
        }
        return splice(b, start, end - start, latin1(BOUNDARY_NUMBERS[r.nextInt(BOUNDARY_NUMBERS.length)]));
    }

    /** Repeats one whole line, CRLF included: duplicate header fields. */
    private static byte[] duplicateLine(SplittableRandom r, byte[] b) {
        int start = r.nextInt(b.length);
        while (start > 0 && b[start - 1] != '\n') {
            start--;
        }
        int end = start;
        while (end < b.length && b[end] != '\n') {
            end++;
        }
        if (end == b.length) {
            return b;
        }
        return splice(b, start, 0, Arrays.copyOfRange(b, start, end + 1));
    }

    /** Drops the CR or the LF of one line end. */
    private static byte[] bareLineEnd(SplittableRandom r, byte[] b) {
        int at = r.nextInt(b.length);
        while (at < b.length - 1 && !(b[at] == '\r' && b[at + 1] == '\n')) {
            at++;
        }
        if (at >= b.length - 1) {
            return b;
        }
        return splice(b, at + r.nextInt(2), 1, new byte[0]);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** {@code b} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static byte[] splice(byte[] b, int at, int removed, byte[] inserted) {
        byte[] c = new byte[b.length - removed + inserted.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(inserted, 0, c, at, inserted.length);
        System.arraycopy(b, at + removed, c, at + inserted.length, b.length - at - removed);
        return c;
    }
}
