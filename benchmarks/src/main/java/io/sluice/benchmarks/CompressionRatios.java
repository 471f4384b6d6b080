package io.sluice.benchmarks;

import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.CompressionOptions;
import java.util.List;
import java.util.Locale;

/**
 * Prints the compression ratio (uncompressed over compressed bytes) of the filter and of the raw codec for each
 * case of {@link CompressionBenchmark}, as a Markdown table. A codec that fails (not available in this build) gets
 * a row saying why, and the others still run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.CompressionRatios [CODEC...]
 * </pre>
 */
public final class CompressionRatios {

    private CompressionRatios() {
    }

    public static void main(String[] args) {
        List<String> codecs = args.length > 0 ? List.of(args) : List.of("deflate", "gzip", "brotli", "zstd");
        System.out.println("| codec | level | corpus | bytes in | filter bytes out | filter ratio | raw bytes out "
                + "| raw ratio |");
        System.out.println("|---|---|---|---:|---:|---:|---:|---:|");
        for (String codec : codecs) {
            for (String level : List.of("fast", "default")) {
                for (Corpus corpus : Corpus.values()) {
                    System.out.println(row(codec, level, corpus));
                }
            }
        }
    }

    private static String row(String codec, String levelName, Corpus corpus) {
        int level = CompressionBenchmark.level(codec, levelName);
        List<byte[]> chunks = corpus.chunks();
        long in = Corpus.totalBytes(chunks);
        String prefix = String.format(Locale.ROOT, "| %s | %s (%d) | %s | %d |", codec, levelName, level,
                corpus.name().toLowerCase(Locale.ROOT), in);
        String raw;
        try {
            long out = RawCodec.of(codec, level).compress(chunks).length;
            raw = String.format(Locale.ROOT, " %d | %.2f |", out, (double) in / out);
        } catch (Exception | LinkageError e) {
            raw = " failed: " + e + " | |";
        }
        String filter;
        try {
            long out = FilterRoundTrip.compressedSize(CompressionOptions.builder(Codec.of(codec)).level(level).build(),
                    chunks);
            filter = String.format(Locale.ROOT, " %d | %.2f |", out, (double) in / out);
        } catch (Exception e) {
            filter = " failed: " + e + " | |";
        }
        return prefix + filter + raw;
    }
}
