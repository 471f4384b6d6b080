package io.sluice.samples;

import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.CompressionOptions;

/**
 * The {@code --codec} and {@code --level} options that the compressing samples share, read into the settings of a
 * {@link io.sluice.filters.compression.Compression} filter.
 */
final class CompressionFlags {

    static final String LEVEL_HELP = "compression level (default: the codec's own; deflate and gzip 0-9, "
            + "brotli 0-11, zstd 1-22)";

    private CompressionFlags() {
    }

    /**
     * The codec {@code options} name and its level, if one was given; throws {@link IllegalArgumentException}
     * naming the bad value (an unknown codec, a level outside the codec's range).
     */
    static CompressionOptions read(Options options) {
        CompressionOptions.Builder builder = CompressionOptions.builder(Codec.of(options.string("codec")));
        if (options.has("level")) {
            builder.level(options.integer("level"));
        }
        return builder.build();
    }
}
