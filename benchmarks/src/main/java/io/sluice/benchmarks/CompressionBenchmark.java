package io.sluice.benchmarks;

import io.sluice.api.Filter;
import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.CompressionOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compression throughput through the {@link io.sluice.filters.compression.Compression} filter against the codec's
 * library called directly, per codec, level and corpus. One operation compresses a whole corpus as one stream,
 * flushed per chunk, and decompresses it again. Two baselines: {@code rawPerMessage} ({@link RawPerMessage})
 * decodes each flushed piece as it arrives, the work any receiver of live messages must do, so
 * {@code filter / rawPerMessage} is the filter's own cost; {@code raw} ({@link RawCodec}) decodes the finished
 * stream in large reads, an upper bound no interactive receiver reaches. {@code pipeOnly} moves the same chunks over
 * the same pipe with no filter: the transport's share of {@code filter}'s time. The {@code mib} counter is uncompressed
 * MiB per second through both halves; {@link CompressionRatios} prints the ratios, which need no timing.
 *
 * <p>Levels: {@code fast} is each codec's fastest useful level (deflate and gzip 1, brotli 1, zstd 1),
 * {@code default} the filter's default (6, 6, 4, 3).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Xms1g", "-Xmx1g"})
public class CompressionBenchmark {

    @Param({"deflate", "gzip", "brotli", "zstd"})
    public String codec;

    @Param({"fast", "default"})
    public String level;

    @Param({"CHAT", "LOG"})
    public Corpus corpus;

    private List<byte[]> chunks;
    private double mib;
    private CompressionOptions options;
    private RawCodec raw;
    private RawPerMessage perMessage;

    /** Uncompressed MiB through compression and decompression; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public double mib;

        @Setup(Level.Iteration)
        public void reset() {
            mib = 0;
        }
    }

    @Setup
    public void setUp() {
        chunks = corpus.chunks();
        mib = Corpus.totalBytes(chunks) / (1024.0 * 1024.0);
        int n = level(codec, level);
        options = CompressionOptions.builder(Codec.of(codec)).level(n).build();
        raw = RawCodec.of(codec, n);
        perMessage = RawPerMessage.of(codec, n);
    }

    @Benchmark
    public long filter(Throughput counted) throws Exception {
        long out = FilterRoundTrip.roundTrip(options, chunks);
        counted.mib += mib;
        return out;
    }

    @Benchmark
    public long raw(Throughput counted) throws Exception {
        long out = raw.decompress(raw.compress(chunks));
        counted.mib += mib;
        return out;
    }

    /** The same chunks over the same pipe with no filter: the transport's share of {@code filter}'s time. */
    @Benchmark
    public long pipeOnly(Throughput counted) throws Exception {
        long out = FilterRoundTrip.roundTrip(Filter.identity(), chunks);
        counted.mib += mib;
        return out;
    }

    @Benchmark
    public long rawPerMessage(Throughput counted) throws Exception {
        long out = perMessage.decompress(perMessage.compress(chunks));
        counted.mib += mib;
        return out;
    }

    /** The level called {@code name} ({@code fast} or {@code default}) on {@code codec}'s own scale. */
    static int level(String codec, String name) {
        boolean fast = switch (name) {
            case "fast" -> true;
            case "default" -> false;
            default -> throw new IllegalArgumentException("level is fast or default, got '" + name + "'");
        };
        return switch (codec) {
            case "deflate", "deflate-raw", "gzip" -> fast ? 1 : 6;
            case "brotli" -> fast ? 1 : 4;
            case "zstd" -> fast ? 1 : 3;
            default -> throw new IllegalArgumentException("unknown codec '" + codec + "'");
        };
    }
}
