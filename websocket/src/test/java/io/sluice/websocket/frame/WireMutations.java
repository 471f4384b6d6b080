package io.sluice.websocket.frame;

import io.sluice.test.Mutations;
import java.util.SplittableRandom;

/**
 * Mutations of RFC 6455 frame streams for seeded fuzz tests: the test kit's {@link Mutations}, and now and then a
 * length field set to a value on the edge of one of the three length encodings, where a frame reader decides how
 * many bytes follow. No buffers cross this class.
 */
public final class WireMutations {

    /** Values a length field is set to: the edges of the 7-, 16-, 31-, 32- and 63-bit encodings. */
    public static final long[] LENGTH_EDGES = {
        0, 1, 125, 126, 127, 0xffff, 0x10000, Integer.MAX_VALUE, 0x8000_0000L, 0xffff_ffffL, Long.MAX_VALUE,
        Long.MIN_VALUE, -1,
    };
    /** What the 7-bit length of a second header byte is set to: empty, the largest, and the two escapes. */
    private static final int[] SEVEN_BIT_EDGES = {0, 1, 125, 126, 127};

    private WireMutations() {
    }

    /**
     * {@code valid} with one to three mutations, each a length field set to an edge value (one time in four) or one
     * of {@link Mutations#mutateOnce}; {@code valid} itself is not changed.
     */
    public static Mutations.Mutant mutate(SplittableRandom r, byte[] valid) {
        return Mutations.mutate(r, valid, (random, bytes, how) -> bytes.length > 0 && random.nextInt(4) == 0
                ? lengthEdge(random, bytes, how) : Mutations.mutateOnce(random, bytes, how));
    }

    /**
     * A copy of {@code in} with the bytes at a random offset read as a length field and set to an edge value: the
     * low 7 bits of one byte (its mask bit kept), or a 16- or 64-bit big-endian field, cut short at the end.
     */
    private static byte[] lengthEdge(SplittableRandom r, byte[] in, StringBuilder how) {
        byte[] out = in.clone();
        int at = r.nextInt(in.length);
        int kind = r.nextInt(3);
        if (kind == 0) {
            int value = SEVEN_BIT_EDGES[r.nextInt(SEVEN_BIT_EDGES.length)];
            out[at] = (byte) (out[at] & 0x80 | value);
            how.append("7-bit length at ").append(at).append(" set to ").append(value);
            return out;
        }
        int width = kind == 1 ? 2 : 8;
        long value = LENGTH_EDGES[r.nextInt(LENGTH_EDGES.length)];
        for (int i = 0; i < width && at + i < out.length; i++) {
            out[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
        how.append(8 * width).append("-bit length at ").append(at).append(" set to 0x")
                .append(Long.toHexString(width == 2 ? value & 0xffff : value));
        return out;
    }
}
