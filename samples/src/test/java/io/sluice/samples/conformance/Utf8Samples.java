package io.sluice.samples.conformance;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Byte sequences that a UTF-8 validator must accept or refuse, grouped as the compliance suite's cases 6.5 to 6.23
 * group them (after Markus Kuhn's UTF-8 decoder stress test): valid text, every prefix of a multi-byte string, the
 * first and last sequence of each length, 5- and 6-byte forms, stray continuation bytes, lonely lead bytes,
 * truncated sequences, impossible bytes, overlong forms, UTF-16 surrogates, non-characters and specials.
 */
final class Utf8Samples {

    /** One sample: its case id ({@code 6.group.index}), the bytes, and whether they are well-formed UTF-8. */
    record Sample(String id, byte[] bytes, boolean valid) {
        @Override
        public String toString() {
            return id + (valid ? " valid " : " invalid ") + HexFormat.of().formatHex(bytes);
        }
    }

    /** κόσμε, Greek "cosmos": code points of two and three bytes. */
    static final byte[] KOSME = hex("cebae1bdb9cf83cebcceb5");

    private final List<Sample> samples = new ArrayList<>();
    private int group = 4;
    private int index;

    private Utf8Samples() {
    }

    static List<Sample> all() {
        Utf8Samples s = new Utf8Samples();
        s.group().valid("68656c6c6f24776f726c64", "68656c6c6fc2a2776f726c64", "68656c6c6fe282ac776f726c64",
                "68656c6c6ff0a4ada2776f726c64", "cebae1bdb9cf83cebcceb5");
        s.group();
        for (int length = 1; length <= KOSME.length; length++) {
            // Code points end after bytes 2, 5, 7, 9 and 11: only those prefixes are complete.
            s.add(Arrays.copyOf(KOSME, length), length == 2 || length == 5 || length == 7 || length == 9
                    || length == 11);
        }
        s.group().valid("00", "c280", "e0a080", "f0908080");
        s.group().invalid("f888808080", "fc8480808080");
        s.group().valid("7f", "dfbf", "efbfbf", "f48fbfbf");
        s.group().invalid("f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf");
        s.group().valid("ed9fbf", "ee8080", "efbfbd", "f48fbfbf").invalid("f4908080");
        s.group().invalid("80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf");
        s.add(range(0x80, 0xbf, false), false);
        s.group();
        int[][] leads = {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}};
        for (int[] lead : leads) {
            s.add(range(lead[0], lead[1], true), false);
        }
        String[] truncated = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf",
                "fdbfbfbfbf"};
        s.group().invalid(truncated);
        s.group().invalid(String.join("", truncated));
        s.group().invalid("fe", "ff", "fefeffff");
        s.group().invalid("c0af", "e080af", "f08080af", "f8808080af", "fc80808080af");
        s.group().invalid("c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf");
        s.group().invalid("c080", "e08080", "f0808080", "f880808080", "fc8080808080");
        s.group().invalid("eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf");
        s.group().invalid("eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf", "edae80edb080",
                "edae80edbfbf", "edafbfedb080", "edafbfedbfbf");
        s.group().valid("efbfbe", "efbfbf");
        for (String lead : new String[] {"f0", "f1", "f2", "f3", "f4"}) {
            for (String second : new String[] {"8f", "9f", "af", "bf"}) {
                boolean overlong = lead.equals("f0") && second.equals("8f");
                boolean beyondUnicode = lead.equals("f4") && !second.equals("8f");
                if (!overlong && !beyondUnicode) {
                    s.valid(lead + second + "bfbe", lead + second + "bfbf");
                }
            }
        }
        s.group().valid("efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf");
        return List.copyOf(s.samples);
    }

    private Utf8Samples group() {
        group++;
        index = 0;
        return this;
    }

    private Utf8Samples valid(String... hexes) {
        for (String h : hexes) {
            add(hex(h), true);
        }
        return this;
    }

    private Utf8Samples invalid(String... hexes) {
        for (String h : hexes) {
            add(hex(h), false);
        }
        return this;
    }

    private void add(byte[] bytes, boolean valid) {
        samples.add(new Sample("6." + group + "." + ++index, bytes, valid));
    }

    /** The bytes from {@code first} up to (not including) {@code end}, each followed by a space if asked. */
    private static byte[] range(int first, int end, boolean spaced) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = first; b < end; b++) {
            bytes.write(b);
            if (spaced) {
                bytes.write(' ');
            }
        }
        return bytes.toByteArray();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
