package io.sluice.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The seeds, input counts and failure messages of seeded fuzz tests, so that a run tries the same inputs every time
 * and a failure can be replayed.
 *
 * <pre>{@code
 * for (long seed : Fuzz.seeds(8)) {
 *     SplittableRandom random = Fuzz.random(seed);
 *     for (int i = 0; i < Fuzz.iterations(200); i++) {
 *         byte[] input = Mutations.mutate(random, valid).bytes();
 *         assertThat(parse(input)).as(Fuzz.describe(seed, i, "a mutated head", input)).satisfies(...);
 *     }
 * }
 * }</pre>
 *
 * <p>Two system properties change a run: {@code -Dsluice.fuzz.iterations=N} multiplies every test's input count by N
 * (a long local run), and {@code -Dsluice.fuzz.seed=S} runs seed S alone (replaying a failure, whose message names
 * its seed). Inputs come from {@link Mutations}. Nothing here touches buffers except {@link #hex(ByteBuf)}, which
 * only reads.
 */
public final class Fuzz {

    public static final String ITERATIONS_PROPERTY = "sluice.fuzz.iterations";
    public static final String SEED_PROPERTY = "sluice.fuzz.seed";

    /** Fixed, so that every run tries the same inputs; a long run raises the count, not the seeds. */
    private static final long[] SEEDS = {
        0x5EEDL, 1L, 2L, 3L, 42L, 1009L, 6455L, 7692L,
        0xC0FFEEL, 0xDEADBEEFL, 0x1234_5678_9ABCL, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x7F7F7F7FL, 0x8080L,
    };

    /** Bytes shown from each end of an input too long to show whole. */
    private static final int SHOWN = 64;

    private Fuzz() {
    }

    /** All the fixed seeds (16), or only the one {@value #SEED_PROPERTY} names. */
    public static long[] seeds() {
        return seeds(SEEDS.length);
    }

    /** The first {@code count} (at most 16) of the fixed seeds, or only the one {@value #SEED_PROPERTY} names. */
    public static long[] seeds(int count) {
        String only = System.getProperty(SEED_PROPERTY);
        if (only != null && !only.isBlank()) {
            return new long[] {Long.decode(only.trim())};
        }
        return Arrays.copyOf(SEEDS, Math.min(count, SEEDS.length));
    }

    /** Inputs per seed: {@code byDefault}, times {@value #ITERATIONS_PROPERTY} when that is set. */
    public static int iterations(int byDefault) {
        return byDefault * Math.max(1, Integer.getInteger(ITERATIONS_PROPERTY, 1));
    }

    /** The generator of one seed's inputs, drawn in order. */
    public static SplittableRandom random(long seed) {
        return new SplittableRandom(seed);
    }

    /** The generator of one input alone: it depends on the seed and the iteration only, not on the inputs before. */
    public static SplittableRandom random(long seed, int iteration) {
        return new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L + iteration);
    }

    /** A replayable name for one input: its seed, its number under that seed, what it is, and its bytes. */
    public static String describe(long seed, int iteration, String what, byte[] input) {
        return "seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + "), input #" + iteration + ", " + what + ": "
                + hex(input);
    }

    /** {@code bytes} in hex, with the middle left out when long: its length, then its first and last bytes. */
    public static String hex(byte[] bytes) {
        HexFormat hex = HexFormat.of();
        if (bytes.length <= 2 * SHOWN) {
            return bytes.length + " bytes " + hex.formatHex(bytes);
        }
        return bytes.length + " bytes " + hex.formatHex(bytes, 0, SHOWN) + " ... "
                + hex.formatHex(bytes, bytes.length - SHOWN, bytes.length);
    }

    /**
     * The readable bytes of {@code buf} in hex, as {@link #hex(byte[])}, read in one call: under Netty's paranoid leak
     * detection every access to a buffer records a stack trace, and a byte-by-byte dump would record thousands.
     */
    public static String hex(ByteBuf buf) {
        return hex(ByteBufUtil.getBytes(buf));
    }
}
