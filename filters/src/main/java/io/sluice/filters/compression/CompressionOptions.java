package io.sluice.filters.compression;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Compression} filter, with safe defaults; every value is checked by {@link #build()}.
 *
 * <ul>
 *   <li>{@code level}: the codec's own scale (deflate/gzip 0-9, default 6; brotli 0-11, default 4; zstd 1-22,
 *       default 3).</li>
 *   <li>{@code window}: log2 of the window size; 0 (the default) is the codec's default. The JDK's zlib always
 *       uses a 32 KiB window, so deflate and gzip accept only 0 or 15; raw deflate also takes 8-14, for a decoder
 *       with a smaller window (permessage-deflate's window bits), and then codes with Huffman coding alone (no
 *       back-references, so any window decodes it; lower ratio); brotli takes 10-24 (default 22), zstd 10-27.
 *       The zstd decoder refuses frames whose window exceeds this setting, or 2^23 (8 MiB) when it is 0; the
 *       brotli decoder accepts brotli's largest window, 16 MiB.</li>
 *   <li>{@code flushEveryBytes}: 0 (the default) flushes after every outbound buffer, so the peer can decode each
 *       at once (buffers queued together are flushed once, after the last of them); a positive value flushes only once that many uncompressed bytes are pending, trading latency for
 *       ratio. The end of every {@code send} flushes regardless.</li>
 *   <li>{@code maxDecompressedPerInput}: bytes one inbound compressed buffer may expand to (default 16 MiB).</li>
 *   <li>{@code maxExpansionRatio}: decompressed bytes over compressed bytes, over the whole stream, checked once
 *       more than {@code ratioFloorBytes} (1 MiB) came out (default 1000).</li>
 *   <li>{@code chunkSize}: the largest decompressed or compressed buffer produced at once (default 16 KiB).</li>
 *   <li>{@code closeTimeout}: how long {@code close()} waits for queued sends before writing the stream's end and
 *       closing (default 5 s); after it, the connection closes without the end.</li>
 * </ul>
 */
public final class CompressionOptions {

    private final Codec codec;
    private final int level;
    private final int window;
    private final int flushEveryBytes;
    private final long maxDecompressedPerInput;
    private final long maxExpansionRatio;
    private final long ratioFloorBytes;
    private final int chunkSize;
    private final Duration closeTimeout;

    private CompressionOptions(Builder b) {
        this.codec = b.codec;
        this.level = b.level != null ? b.level : b.codec.defaultLevel();
        this.window = b.window;
        this.flushEveryBytes = b.flushEveryBytes;
        this.maxDecompressedPerInput = b.maxDecompressedPerInput;
        this.maxExpansionRatio = b.maxExpansionRatio;
        this.ratioFloorBytes = b.ratioFloorBytes;
        this.chunkSize = b.chunkSize;
        this.closeTimeout = b.closeTimeout;
    }

    public static Builder builder(Codec codec) {
        return new Builder(codec);
    }

    public Codec codec() {
        return codec;
    }

    public int level() {
        return level;
    }

    /** log2 of the window size, or 0 for the codec's default. */
    public int window() {
        return window;
    }

    public int flushEveryBytes() {
        return flushEveryBytes;
    }

    public long maxDecompressedPerInput() {
        return maxDecompressedPerInput;
    }

    public long maxExpansionRatio() {
        return maxExpansionRatio;
    }

    public long ratioFloorBytes() {
        return ratioFloorBytes;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    @Override
    public String toString() {
        return codec.label() + " level " + level + (flushEveryBytes == 0 ? ", flush per buffer"
                : ", flush every " + flushEveryBytes + " B");
    }

    /** Builds {@link CompressionOptions}. */
    public static final class Builder {
        private final Codec codec;
        private Integer level;
        private int window;
        private int flushEveryBytes;
        private long maxDecompressedPerInput = 16L * 1024 * 1024;
        private long maxExpansionRatio = 1000;
        private long ratioFloorBytes = 1024 * 1024;
        private int chunkSize = 16 * 1024;
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        public Builder level(int level) {
            this.level = level;
            return this;
        }

        /** log2 of the window size; 0 for the codec's default. */
        public Builder window(int log2) {
            this.window = log2;
            return this;
        }

        public Builder flushEveryBytes(int bytes) {
            this.flushEveryBytes = bytes;
            return this;
        }

        public Builder maxDecompressedPerInput(long bytes) {
            this.maxDecompressedPerInput = bytes;
            return this;
        }

        /** The ratio limit and the output size from which it applies. */
        public Builder maxExpansionRatio(long ratio, long floorBytes) {
            this.maxExpansionRatio = ratio;
            this.ratioFloorBytes = floorBytes;
            return this;
        }

        public Builder chunkSize(int bytes) {
            this.chunkSize = bytes;
            return this;
        }

        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public CompressionOptions build() {
            if (level != null && (level < codec.minLevel() || level > codec.maxLevel())) {
                throw new IllegalArgumentException(codec.label() + " level must be in " + codec.minLevel() + ".."
                        + codec.maxLevel() + ", got " + level);
            }
            if (window != 0 && (window < codec.minWindow() || window > codec.maxWindow())) {
                throw new IllegalArgumentException(codec.label() + " window must be 0 (default) or in "
                        + codec.minWindow() + ".." + codec.maxWindow() + ", got " + window);
            }
            if (flushEveryBytes < 0) {
                throw new IllegalArgumentException("flushEveryBytes must be >= 0, got " + flushEveryBytes);
            }
            if (maxDecompressedPerInput < 1) {
                throw new IllegalArgumentException(
                        "maxDecompressedPerInput must be >= 1, got " + maxDecompressedPerInput);
            }
            if (maxExpansionRatio < 1 || ratioFloorBytes < 0) {
                throw new IllegalArgumentException("maxExpansionRatio must be >= 1 and its floor >= 0, got "
                        + maxExpansionRatio + " and " + ratioFloorBytes);
            }
            if (chunkSize < 64 || chunkSize > Scratch.MAX) {
                throw new IllegalArgumentException("chunkSize must be in 64.." + Scratch.MAX + ", got " + chunkSize);
            }
            if (closeTimeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, got " + closeTimeout);
            }
            return new CompressionOptions(this);
        }
    }
}
