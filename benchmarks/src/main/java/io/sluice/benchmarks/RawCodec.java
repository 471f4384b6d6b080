package io.sluice.benchmarks;

import java.io.IOException;
import java.util.List;

/**
 * A codec's own library called directly, the baseline of the compression benchmarks. Like the filter with its
 * defaults, it compresses the chunks as one stream and flushes after each, so that the peer could decode every
 * chunk at once; the two therefore pay for the same flushes.
 */
interface RawCodec {

    /** The compressed stream of {@code chunks}, flushed after each chunk and ended. */
    byte[] compress(List<byte[]> chunks) throws IOException;

    /** Decompresses one whole stream; returns how many bytes came out. */
    long decompress(byte[] stream) throws IOException;

    /** The raw codec for a {@link io.sluice.filters.compression.Codec} label, at {@code level}. */
    static RawCodec of(String codec, int level) {
        return switch (codec) {
            case "deflate" -> new JdkDeflate(level, false);
            case "deflate-raw" -> new JdkDeflate(level, true);
            case "gzip" -> new JdkGzip(level);
            case "brotli" -> new NativeStreams.Brotli(level);
            case "zstd" -> new NativeStreams.Zstd(level);
            default -> throw new IllegalArgumentException("no raw codec for '" + codec + "'");
        };
    }
}
