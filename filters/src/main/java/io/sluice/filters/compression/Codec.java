package io.sluice.filters.compression;

import io.netty.buffer.ByteBufAllocator;
import java.util.Locale;

/**
 * The compression formats a {@link Compression} filter speaks. {@link #DEFLATE} is zlib-wrapped (RFC 1950),
 * {@link #DEFLATE_RAW} bare RFC 1951, {@link #GZIP} RFC 1952; all three use the JDK's zlib. {@link #BROTLI} needs
 * Brotli4j and its native library, {@link #ZSTD} needs zstd-jni (both optional dependencies).
 */
public enum Codec {
    DEFLATE("deflate"),
    DEFLATE_RAW("deflate-raw"),
    GZIP("gzip"),
    BROTLI("brotli"),
    ZSTD("zstd");

    private final String label;

    Codec(String label) {
        this.label = label;
    }

    /** The name used in options and on command lines: {@code deflate}, {@code deflate-raw}, {@code gzip}, ... */
    public String label() {
        return label;
    }

    /** The codec named {@code label}, case-insensitively; a clear error listing the names otherwise. */
    public static Codec of(String label) {
        String wanted = label.toLowerCase(Locale.ROOT);
        for (Codec c : values()) {
            if (c.label.equals(wanted)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown codec '" + label + "'; one of deflate, deflate-raw, gzip, "
                + "brotli, zstd");
    }

    /** The level used when none is set: a balance of speed and ratio for interactive traffic. */
    int defaultLevel() {
        return switch (this) {
            case DEFLATE, DEFLATE_RAW, GZIP -> 6;
            case BROTLI -> 4;
            case ZSTD -> 3;
        };
    }

    /** Levels this codec accepts. */
    int minLevel() {
        return switch (this) {
            case DEFLATE, DEFLATE_RAW, GZIP, BROTLI -> 0;
            case ZSTD -> 1;
        };
    }

    int maxLevel() {
        return switch (this) {
            case DEFLATE, DEFLATE_RAW, GZIP -> 9;
            case BROTLI -> 11;
            case ZSTD -> 22;
        };
    }

    /** Window sizes (log2) this codec accepts besides 0, the default. */
    int minWindow() {
        return switch (this) {
            // Raw deflate carries no window in its stream, so a smaller one is kept by Huffman coding alone.
            case DEFLATE_RAW -> 8;
            case DEFLATE, GZIP -> 15;
            case BROTLI, ZSTD -> 10;
        };
    }

    int maxWindow() {
        return switch (this) {
            case DEFLATE, DEFLATE_RAW, GZIP -> 15;
            case BROTLI -> 24;
            // zstd-jni's decompression context keeps zstd's default limit of 2^27 and cannot raise it, so a larger
            // window would make streams that our own decoder refuses.
            case ZSTD -> 27;
        };
    }

    Encoder newEncoder(CompressionOptions options, ByteBufAllocator alloc) {
        return switch (this) {
            case DEFLATE -> new DeflateEncoder(options.level(), false, 0, alloc, options.chunkSize());
            case DEFLATE_RAW -> new DeflateEncoder(options.level(), true, options.window(), alloc, options.chunkSize());
            case GZIP -> new GzipEncoder(options.level(), alloc, options.chunkSize());
            case BROTLI -> new BrotliEncoder(options.level(), options.window(), alloc, options.chunkSize());
            case ZSTD -> new ZstdEncoder(options.level(), options.window(), alloc, options.chunkSize());
        };
    }

    Decoder newDecoder(CompressionOptions options) {
        return switch (this) {
            case DEFLATE -> new DeflateDecoder(false);
            case DEFLATE_RAW -> new DeflateDecoder(true);
            case GZIP -> new GzipDecoder();
            case BROTLI -> new BrotliDecoder();
            case ZSTD -> new ZstdDecoder(options.window() != 0 ? options.window() : ZstdEncoder.DEFAULT_WINDOW_LOG_MAX);
        };
    }
}
