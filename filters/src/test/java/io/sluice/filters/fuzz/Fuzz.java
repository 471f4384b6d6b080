package io.sluice.filters.fuzz;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * The fixed seeds and input counts of the fuzz tests, and how a failing input is shown so that it can be replayed.
 *
 * <p>Every fuzz test draws its inputs from {@code new SplittableRandom(seed)} for each seed of {@link #seeds(int)},
 * so a run is the same every time. Two system properties widen or narrow a run:
 * <ul>
 *   <li>{@code -Dsluice.fuzz.iterations=N}: N times the test's inputs per seed (a long local run), as the
 *       {@code websocket} module's fuzz tests read it;</li>
 *   <li>{@code -Dsluice.fuzz.seed=S}: only seed S (replaying a failure, whose message names its seed).</li>
 * </ul>
 */
public final class Fuzz {

    public static final String ITERATIONS_PROPERTY = "sluice.fuzz.iterations";
    public static final String SEED_PROPERTY = "sluice.fuzz.seed";

    /** Bytes shown from each end of an input too long to show whole. */
    private static final int SHOWN = 48;

    private Fuzz() {
    }

    /** The first {@code count} seeds (1, 2, 3, ...), or only the one named by {@value #SEED_PROPERTY}. */
    public static long[] seeds(int count) {
        String only = System.getProperty(SEED_PROPERTY);
        if (only != null && !only.isBlank()) {
            return new long[] {Long.parseLong(only.trim())};
        }
        return LongStream.rangeClosed(1, count).toArray();
    }

    /** Inputs per seed: {@code defaultCount}, times {@value #ITERATIONS_PROPERTY} when that is set. */
    public static int iterations(int defaultCount) {
        return defaultCount * Math.max(1, Integer.getInteger(ITERATIONS_PROPERTY, 1));
    }

    /** The generator of one seed's inputs. */
    public static SplittableRandom random(long seed) {
        return new SplittableRandom(seed);
    }

    /** A replayable name for one input: its seed, its number under that seed, what it is, and its bytes. */
    public static String describe(long seed, int iteration, String what, byte[] input) {
        return "seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + "), input #" + iteration + ", " + what + ": "
                + hex(input);
    }

    /** {@code bytes} in hex, with the middle left out when long: its length, its first and last bytes. */
    public static String hex(byte[] bytes) {
        HexFormat hex = HexFormat.of();
        if (bytes.length <= 2 * SHOWN) {
            return bytes.length + " bytes " + hex.formatHex(bytes);
        }
        return bytes.length + " bytes " + hex.formatHex(Arrays.copyOf(bytes, SHOWN)) + " ... "
                + hex.formatHex(Arrays.copyOfRange(bytes, bytes.length - SHOWN, bytes.length));
    }
}
