package io.sluice.spring.boot.autoconfigure;

import io.sluice.filters.compression.Codec;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * Stream compression, under {@code sluice.servers.<name>.compression}; see
 * {@link io.sluice.filters.compression.CompressionOptions} for what each setting does. Off unless {@code codec} is
 * set.
 */
public class CompressionProperties {

    /** Codec of the whole stream, both ways: deflate, deflate-raw, gzip, brotli or zstd. Unset: no compression. */
    private Codec codec;

    /** Compression level on the codec's own scale; the codec's default when unset. */
    private Integer level;

    /** Log2 of the window size; 0 is the codec's default. */
    private int window = 0;

    /** Flush once this many uncompressed bytes are pending; 0 flushes after every outbound buffer. */
    private DataSize flushEveryBytes = DataSize.ofBytes(0);

    /** Bytes one inbound compressed buffer may expand to. */
    private DataSize maxDecompressedPerInput = DataSize.ofMegabytes(16);

    /** Decompressed bytes over compressed bytes allowed over a whole stream. */
    private long maxExpansionRatio = 1000;

    /** Decompressed output from which the expansion ratio is checked. */
    private DataSize expansionRatioFloor = DataSize.ofMegabytes(1);

    /** Largest compressed or decompressed buffer produced at once. */
    private DataSize chunkSize = DataSize.ofKilobytes(16);

    /** How long closing waits for queued sends before writing the end of the stream. */
    private Duration closeTimeout = Duration.ofSeconds(5);

    public Codec getCodec() {
        return codec;
    }

    public void setCodec(Codec codec) {
        this.codec = codec;
    }

    public Integer getLevel() {
        return level;
    }

    public void setLevel(Integer level) {
        this.level = level;
    }

    public int getWindow() {
        return window;
    }

    public void setWindow(int window) {
        this.window = window;
    }

    public DataSize getFlushEveryBytes() {
        return flushEveryBytes;
    }

    public void setFlushEveryBytes(DataSize flushEveryBytes) {
        this.flushEveryBytes = flushEveryBytes;
    }

    public DataSize getMaxDecompressedPerInput() {
        return maxDecompressedPerInput;
    }

    public void setMaxDecompressedPerInput(DataSize maxDecompressedPerInput) {
        this.maxDecompressedPerInput = maxDecompressedPerInput;
    }

    public long getMaxExpansionRatio() {
        return maxExpansionRatio;
    }

    public void setMaxExpansionRatio(long maxExpansionRatio) {
        this.maxExpansionRatio = maxExpansionRatio;
    }

    public DataSize getExpansionRatioFloor() {
        return expansionRatioFloor;
    }

    public void setExpansionRatioFloor(DataSize expansionRatioFloor) {
        this.expansionRatioFloor = expansionRatioFloor;
    }

    public DataSize getChunkSize() {
        return chunkSize;
    }

    public void setChunkSize(DataSize chunkSize) {
        this.chunkSize = chunkSize;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }
}
