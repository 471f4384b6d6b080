package io.sluice.filters.framing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Framing configurations and inputs for the fuzz tests, drawn from a seed: well-formed streams (with the frames they
 * hold) and near-miss bytes, over alphabets small enough that delimiters, partial delimiters and {@code \r} before
 * {@code \n} turn up often.
 */
final class FramingInputs {

    /** Custom delimiters, some with a repeated prefix ({@code aba}), some a prefix of another ({@code \r\n}). */
    static final List<String> DELIMITERS = List.of("\r\n", "||", "aba", "\0", "\r\n\r\n", "ab", "END");

    /** A length-field configuration: field width and limit. */
    record LengthFieldConfig(int fieldBytes, int max) {
        FrameParser parser() {
            return new LengthFieldParser(fieldBytes, max);
        }

        @Override
        public String toString() {
            return fieldBytes + "-byte length field, max " + max;
        }
    }

    /** A line configuration: newline mode, or a custom delimiter; and the limit. */
    record LineConfig(String delimiter, int max) {
        boolean newlineMode() {
            return delimiter == null;
        }

        byte[] delimiterBytes() {
            return newlineMode() ? new byte[] {'\n'} : delimiter.getBytes(StandardCharsets.UTF_8);
        }

        FrameParser parser() {
            return new LineParser(new Delimiter(delimiterBytes()), newlineMode(), max);
        }

        LineFraming filter() {
            LineFraming.Builder b = LineFraming.builder().maxLineLength(max);
            return newlineMode() ? b.build() : b.delimiter(delimiter).build();
        }

        @Override
        public String toString() {
            return (newlineMode() ? "newline mode" : "delimiter \"" + delimiter.replace("\r", "\\r")
                    .replace("\n", "\\n").replace("\0", "\\0") + "\"") + ", max " + max;
        }
    }

    /** A well-formed input and the frames it holds. */
    record Valid(byte[] bytes, List<byte[]> frames) {
    }

    private FramingInputs() {
    }

    static LengthFieldConfig lengthFieldConfig(SplittableRandom random) {
        int fieldBytes = new int[] {1, 2, 4}[random.nextInt(3)];
        long fieldMax = fieldBytes == 4 ? Integer.MAX_VALUE : (1L << (8 * fieldBytes)) - 1;
        int max = random.nextInt(3) == 0 ? (int) fieldMax : (int) Math.min(fieldMax, random.nextInt(300));
        return new LengthFieldConfig(fieldBytes, max);
    }

    static LineConfig lineConfig(SplittableRandom random) {
        String delimiter = random.nextBoolean() ? null : DELIMITERS.get(random.nextInt(DELIMITERS.size()));
        int max = random.nextInt(4) == 0 ? LineFraming.DEFAULT_MAX_LINE_LENGTH : random.nextInt(120);
        return new LineConfig(delimiter, max);
    }

    /** Up to a dozen frames, each up to the limit (and 300 bytes). */
    static Valid lengthFieldStream(LengthFieldConfig config, SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> frames = new ArrayList<>();
        int count = random.nextInt(13);
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[random.nextInt(Math.min(config.max(), 300) + 1)];
            random.nextBytes(payload);
            for (int b = config.fieldBytes() - 1; b >= 0; b--) {
                out.write(payload.length >>> (8 * b));
            }
            out.writeBytes(payload);
            frames.add(payload);
        }
        return new Valid(out.toByteArray(), frames);
    }

    /**
     * Up to a dozen lines, each up to the limit (and 60 bytes), delimited, the last one left unterminated now and
     * then. Lines are drawn from the delimiter's own bytes and a few others; a line that would not come back as
     * itself (it holds the delimiter, or makes one with the next delimiter) is drawn again.
     */
    static Valid lineStream(LineConfig config, SplittableRandom random) {
        byte[] delimiter = config.delimiterBytes();
        byte[] alphabet = alphabet(delimiter, config.newlineMode());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> lines = new ArrayList<>();
        int count = random.nextInt(13);
        boolean unterminatedLast = count > 0 && random.nextInt(4) == 0;
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            for (int attempt = 0; ; attempt++) {
                int length = random.nextInt(Math.min(config.max(), 60) + 1);
                if (last && unterminatedLast) {
                    length = Math.max(1, length);
                }
                byte[] line = new byte[length];
                for (int k = 0; k < length; k++) {
                    line[k] = alphabet[random.nextInt(alphabet.length)];
                }
                byte[] candidate = concat(out.toByteArray(), line, last && unterminatedLast ? new byte[0] : delimiter);
                List<byte[]> wanted = new ArrayList<>(lines);
                wanted.add(line);
                FramingModel.Expected framed = FramingModel.lines(candidate, delimiter, config.newlineMode(),
                        config.max());
                if (framed.error() == null && same(framed.frames(), wanted) || attempt == 50) {
                    if (framed.error() == null && same(framed.frames(), wanted)) {
                        out.reset();
                        out.writeBytes(candidate);
                        lines.add(line);
                    }
                    break;
                }
            }
        }
        return new Valid(out.toByteArray(), lines);
    }

    /** Bytes from the delimiter and its near misses: the delimiter's bytes, {@code \r}, {@code \n}, a, 0, 0xff. */
    static byte[] nearMisses(LineConfig config, SplittableRandom random, int maxLength) {
        byte[] alphabet = concat(config.delimiterBytes(), new byte[] {'\r', '\n', 'a', 0, (byte) 0xFF});
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return bytes;
    }

    private static byte[] alphabet(byte[] delimiter, boolean newlineMode) {
        byte[] common = newlineMode ? new byte[] {'a', 'b', '\r', ' '} : new byte[] {'a', 'b', '\r', '\n', ' '};
        return newlineMode ? common : concat(common, delimiter);
    }

    static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
