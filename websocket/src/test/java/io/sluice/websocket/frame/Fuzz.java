package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.sluice.test.SluiceTest;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded, repeatable fuzz inputs for the WebSocket wire: random bytes, mutations of valid inputs, random cut points,
 * and failure messages that say how to replay a case.
 *
 * <p>Every case has its own generator, made from the seed and the iteration number alone, so a failing case is
 * replayed with {@code -Dsluice.fuzz.seed=SEED} (only that seed runs) without the iterations before it mattering.
 * {@code -Dsluice.fuzz.iterations=N} runs N iterations per seed instead of each test's default, for a long local
 * run.
 *
 * <p>Ownership: {@link #hex(ByteBuf)} only reads the buffer it is given; nothing else here touches buffers.
 */
public final class Fuzz {

    /** The seeds every fuzz test runs by default. */
    private static final long[] SEEDS = {
        0x5EEDL, 1L, 2L, 3L, 42L, 1009L, 6455L, 7692L,
        0xC0FFEEL, 0xDEADBEEFL, 0x1234_5678_9ABCL, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x7F7F7F7FL, 0x8080L,
    };
    /** Byte values that sit on a boundary of some rule: 0, 7-bit and 8-bit limits, UTF-8 lead and trail edges. */
    private static final byte[] INTERESTING = {
        0x00, 0x01, 0x7d, 0x7e, 0x7f, (byte) 0x80, (byte) 0x81, (byte) 0xbf, (byte) 0xc0, (byte) 0xc2,
        (byte) 0xe0, (byte) 0xed, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xfe, (byte) 0xff,
    };
    /** Values a length field is set to: the edges of the 7-, 16-, 31-, 32- and 63-bit encodings. */
    static final long[] BOUNDARY_LENGTHS = {
        0, 1, 125, 126, 127, 0xffff, 0x10000, Integer.MAX_VALUE, 0x8000_0000L, 0xffff_ffffL, Long.MAX_VALUE,
        Long.MIN_VALUE, -1,
    };
    private static final int SHOWN_BYTES = 96;
    private static final ByteBufAllocator PLAIN = new UnpooledByteBufAllocator(true, true);

    private Fuzz() {
    }

    /** The seeds to run: {@code -Dsluice.fuzz.seed} alone if set, else the default list. */
    public static long[] seeds() {
        String one = System.getProperty("sluice.fuzz.seed");
        if (one != null && !one.isBlank()) {
            return new long[] {Long.decode(one.trim())};
        }
        return SEEDS.clone();
    }

    /** Iterations per seed: {@code byDefault}, or {@code -Dsluice.fuzz.iterations} when set. */
    public static int iterations(int byDefault) {
        String n = System.getProperty("sluice.fuzz.iterations");
        return n == null || n.isBlank() ? byDefault : Integer.parseInt(n.trim());
    }

    /**
     * The allocator the buffers of one case come from: the test kit's leak-tracking allocator (under Netty's paranoid
     * leak detection) for every eighth iteration, Netty's unpooled allocator without leak detection for the others,
     * where the paranoid detector's stack trace at every buffer access would cost more than the case. Every case
     * checks its own budget for leaks either way; a buffer released twice or used after release fails either way.
     */
    public static ByteBufAllocator parent(int iteration) {
        return iteration % 8 == 0 ? SluiceTest.allocator() : PLAIN;
    }

    /** The generator of one case: depends on the seed and the iteration only. */
    public static SplittableRandom random(long seed, int iteration) {
        return new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L + iteration);
    }

    /** How a failing case is named: enough to replay it, and the input, shortened. */
    public static String replay(long seed, int iteration, String what, byte[] input) {
        return "fuzz case seed " + seed + " (-Dsluice.fuzz.seed=" + seed + "), iteration " + iteration + ", " + what
                + ", input " + input.length + " B: " + hex(input);
    }

    /** The bytes as hex, the middle left out past {@link #SHOWN_BYTES}. */
    public static String hex(byte[] input) {
        if (input.length <= SHOWN_BYTES) {
            return ByteBufUtil.hexDump(input);
        }
        int half = SHOWN_BYTES / 2;
        return ByteBufUtil.hexDump(input, 0, half) + " ... " + ByteBufUtil.hexDump(input, input.length - half, half);
    }

    /**
     * The readable bytes of {@code buf} as hex, read in one call: under the test kit's paranoid leak detection every
     * access to a buffer records a stack trace, and a byte-by-byte dump of a large payload would record thousands.
     */
    public static String hex(ByteBuf buf) {
        return ByteBufUtil.hexDump(ByteBufUtil.getBytes(buf));
    }

    /** Random bytes, 0 to {@code maxLength} of them. */
    public static byte[] randomBytes(SplittableRandom r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(b);
        return b;
    }

    /** Random bytes drawn mostly from {@link #INTERESTING} values. */
    public static byte[] interestingBytes(SplittableRandom r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : INTERESTING[r.nextInt(INTERESTING.length)];
        }
        return b;
    }

    /** {@code valid} with one to three random mutations applied. */
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
            return interestingBytes(r, 4);
        }
        int at = r.nextInt(b.length);
        switch (r.nextInt(8)) {
            case 0 -> { // flip one bit
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << r.nextInt(8));
                return c;
            }
            case 1 -> { // a boundary value
                byte[] c = b.clone();
                c[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                return c;
            }
            case 2 -> { // truncate
                return Arrays.copyOf(b, at);
            }
            case 3 -> { // duplicate a range in place
                int len = 1 + r.nextInt(Math.min(16, b.length - at));
                byte[] c = new byte[b.length + len];
                System.arraycopy(b, 0, c, 0, at + len);
                System.arraycopy(b, at, c, at + len, b.length - at);
                return c;
            }
            case 4 -> { // insert random bytes
                byte[] extra = interestingBytes(r, 8);
                byte[] c = new byte[b.length + extra.length];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(extra, 0, c, at, extra.length);
                System.arraycopy(b, at, c, at + extra.length, b.length - at);
                return c;
            }
            case 5 -> { // delete a range
                int len = 1 + r.nextInt(Math.min(16, b.length - at));
                byte[] c = new byte[b.length - len];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + len, c, at, b.length - at - len);
                return c;
            }
            case 6 -> { // a 16-bit boundary value, where a length might be
                byte[] c = b.clone();
                long v = BOUNDARY_LENGTHS[r.nextInt(BOUNDARY_LENGTHS.length)];
                for (int i = 0; i < 2 && at + i < c.length; i++) {
                    c[at + i] = (byte) (v >>> (8 * (1 - i)));
                }
                return c;
            }
            default -> { // a 64-bit boundary value, where a length might be
                byte[] c = b.clone();
                long v = BOUNDARY_LENGTHS[r.nextInt(BOUNDARY_LENGTHS.length)];
                for (int i = 0; i < 8 && at + i < c.length; i++) {
                    c[at + i] = (byte) (v >>> (8 * (7 - i)));
                }
                return c;
            }
        }
    }

    /** Sorted cut points strictly inside {@code 0..length}: the input is fed as the pieces between them. */
    public static int[] cuts(SplittableRandom r, int length) {
        if (length < 2) {
            return new int[0];
        }
        int[] c = new int[r.nextInt(Math.min(length - 1, 12) + 1)];
        for (int i = 0; i < c.length; i++) {
            c[i] = 1 + r.nextInt(length - 1);
        }
        return Arrays.stream(c).sorted().distinct().toArray();
    }

    /** Cut points for feeding an input in pieces: random ones, or now and then at every byte of a short input. */
    public static int[] randomCuts(SplittableRandom r, int length) {
        if (length <= 256 && r.nextInt(8) == 0) {
            int[] every = new int[Math.max(0, length - 1)];
            for (int i = 0; i < every.length; i++) {
                every[i] = i + 1;
            }
            return every;
        }
        return cuts(r, length);
    }
}
