package io.sluice.test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random and mutated inputs for seeded fuzz tests (see {@link Fuzz}), drawn from the caller's
 * {@link SplittableRandom}, so that the same seed gives the same inputs. A mutation says what it did, for the failure
 * message. Protocol-specific mutations (a number in a text head, a duplicated header line) belong to the tests of that
 * protocol and can be mixed with these.
 */
public final class Mutations {

    /**
     * Byte values parsers tend to treat specially: zero, the 7-bit length edges, the sign boundary, UTF-8 lead and
     * trail edges, all ones, and the delimiters of text protocols.
     */
    private static final byte[] INTERESTING = {
        0x00, 0x01, 0x0B, 0x1F, 0x7D, 0x7E, 0x7F, (byte) 0x80, (byte) 0x81, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2,
        (byte) 0xE0, (byte) 0xED, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFE, (byte) 0xFF,
        '\r', '\n', ' ', '\t', ':', ',', ';', '"', '=', '\\', '/',
    };

    private Mutations() {
    }

    /** A mutated copy of an input, and the mutations applied, in order. */
    public record Mutant(byte[] bytes, String how) {
    }

    /** {@code 0} to {@code maxLength} uniformly random bytes. */
    public static byte[] randomBytes(SplittableRandom random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code 0} to {@code maxLength} bytes, most of them values parsers treat specially. */
    public static byte[] interestingBytes(SplittableRandom random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : interesting(random);
        }
        return bytes;
    }

    /**
     * One mutation of an input, which it does not change, said in {@code how}: {@link #mutateOnce}, or a protocol's
     * own mixed with it.
     */
    @FunctionalInterface
    public interface Mutation {
        byte[] apply(SplittableRandom random, byte[] in, StringBuilder how);
    }

    /** {@code valid} with one to three mutations of {@link #mutateOnce}; {@code valid} itself is not changed. */
    public static Mutant mutate(SplittableRandom random, byte[] valid) {
        return mutate(random, valid, Mutations::mutateOnce);
    }

    /** {@code valid} with one to three of {@code mutation}'s mutations; {@code valid} itself is not changed. */
    public static Mutant mutate(SplittableRandom random, byte[] valid, Mutation mutation) {
        byte[] bytes = valid;
        StringBuilder how = new StringBuilder();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                how.append(", then ");
            }
            bytes = mutation.apply(random, bytes, how);
        }
        return new Mutant(bytes, how.toString());
    }

    /**
     * One mutation of {@code in} (not changed), said in {@code how}: a bit flipped, a byte set to a special value or a
     * random one, the input cut short, a range duplicated, deleted or replaced by random bytes, special bytes
     * inserted, or a 1, 2, 4 or 8-byte field (either byte order) set to a boundary value (0, 1, the largest, the sign
     * boundary and one less). An empty input becomes a few special bytes.
     */
    public static byte[] mutateOnce(SplittableRandom random, byte[] in, StringBuilder how) {
        if (in.length == 0) {
            how.append("special bytes for an empty input");
            return interestingBytes(random, 16);
        }
        int at = random.nextInt(in.length);
        byte[] out;
        switch (random.nextInt(9)) {
            case 0 -> {
                out = in.clone();
                int bit = random.nextInt(8);
                out[at] ^= (byte) (1 << bit);
                how.append("bit ").append(bit).append(" flipped at ").append(at);
            }
            case 1, 2 -> {
                out = in.clone();
                out[at] = random.nextBoolean() ? interesting(random) : (byte) random.nextInt(256);
                how.append(String.format("byte at %d set to 0x%02x", at, out[at] & 0xFF));
            }
            case 3 -> {
                out = Arrays.copyOf(in, at);
                how.append("cut to ").append(at).append(" bytes");
            }
            case 4 -> {
                int length = 1 + random.nextInt(Math.min(64, in.length - at));
                out = splice(in, at, 0, Arrays.copyOfRange(in, at, at + length));
                how.append(length).append(" bytes at ").append(at).append(" duplicated");
            }
            case 5 -> {
                int length = 1 + random.nextInt(Math.min(64, in.length - at));
                out = splice(in, at, length, new byte[0]);
                how.append(length).append(" bytes at ").append(at).append(" deleted");
            }
            case 6 -> {
                byte[] inserted = interestingBytes(random, 16);
                out = splice(in, at, 0, inserted);
                how.append(inserted.length).append(" special bytes inserted at ").append(at);
            }
            case 7 -> {
                byte[] replacement = new byte[Math.min(1 + random.nextInt(16), in.length - at)];
                random.nextBytes(replacement);
                out = splice(in, at, replacement.length, replacement);
                how.append(replacement.length).append(" bytes at ").append(at).append(" randomized");
            }
            default -> {
                out = in.clone();
                int width = Math.min(new int[] {1, 2, 4, 8}[random.nextInt(4)], in.length - at);
                long value = boundary(random, width);
                boolean bigEndian = random.nextBoolean();
                for (int i = 0; i < width; i++) {
                    int shift = 8 * (bigEndian ? width - 1 - i : i);
                    out[at + i] = (byte) (value >>> shift);
                }
                how.append(width).append("-byte ").append(bigEndian ? "big" : "little").append("-endian field at ")
                        .append(at).append(" set to 0x").append(Long.toHexString(value));
            }
        }
        return out;
    }

    /** {@code in} with {@code removed} bytes at {@code at} replaced by {@code inserted}; {@code in} is not changed. */
    public static byte[] splice(byte[] in, int at, int removed, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + inserted.length);
        out.write(in, 0, at);
        out.writeBytes(inserted);
        out.write(in, at + removed, in.length - at - removed);
        return out.toByteArray();
    }

    /**
     * {@code bytes} split at random points into pieces of 1 to {@code maxPiece} bytes (one empty piece for empty
     * input), with an empty piece now and then, as a transport may deliver an empty read.
     */
    public static List<byte[]> split(SplittableRandom random, byte[] bytes, int maxPiece) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            if (random.nextInt(16) == 0) {
                pieces.add(new byte[0]);
            }
            int n = 1 + random.nextInt(Math.min(maxPiece, bytes.length - at));
            pieces.add(Arrays.copyOfRange(bytes, at, at + n));
            at += n;
        }
        if (pieces.isEmpty()) {
            pieces.add(new byte[0]);
        }
        return pieces;
    }

    /**
     * Sorted, distinct cut points strictly inside {@code 0..length}, to feed an input as the pieces between them: up
     * to 12 random ones, or now and then (for inputs up to 256 bytes) a cut at every byte.
     */
    public static int[] cuts(SplittableRandom random, int length) {
        if (length < 2) {
            return new int[0];
        }
        if (length <= 256 && random.nextInt(8) == 0) {
            int[] every = new int[length - 1];
            Arrays.setAll(every, i -> i + 1);
            return every;
        }
        int[] cuts = new int[random.nextInt(Math.min(length - 1, 12) + 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = 1 + random.nextInt(length - 1);
        }
        return Arrays.stream(cuts).sorted().distinct().toArray();
    }

    private static byte interesting(SplittableRandom random) {
        return INTERESTING[random.nextInt(INTERESTING.length)];
    }

    /** A boundary value of a {@code width}-byte unsigned field. */
    private static long boundary(SplittableRandom random, int width) {
        long max = width == 8 ? -1L : (1L << (8 * width)) - 1;
        long signBit = 1L << (8 * width - 1);
        long[] values = {0, 1, max, max - 1, signBit, signBit - 1};
        return values[random.nextInt(values.length)];
    }
}
