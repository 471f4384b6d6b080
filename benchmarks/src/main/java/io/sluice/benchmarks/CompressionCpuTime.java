package io.sluice.benchmarks;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.sluice.api.Filter;
import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.CompressionOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * The compression benchmark's paths ({@link CompressionBenchmark}: filter, raw codec per message, raw codec on the
 * whole stream), plus the filter with one {@code send} per message (each flushed on its own, as live messages that
 * come one at a time are; {@code filter} sends the corpus as one publisher, whose buffers go through in runs), measured in CPU time of the measuring thread rather than wall time, so that other work on the
 * machine (a build, another benchmark) does not count. Every path runs entirely on one thread (the in-memory pipe
 * delivers on the sender's thread), a Netty {@link FastThreadLocalThread} like the event loops filters run on. Each path is timed over rounds of a few operations, interleaved with the
 * other paths so that drift affects all of them alike; the figure is the median round after a warm-up.
 *
 * <pre>
 * java -Dio.netty.leakDetection.level=disabled -cp benchmarks/target/benchmarks.jar \
 *     io.sluice.benchmarks.CompressionCpuTime [codecs] [rounds]
 * </pre>
 */
public final class CompressionCpuTime {

    private static final int OPS_PER_ROUND = 4;

    private CompressionCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        // Filters run on event loops, whose threads are Netty FastThreadLocalThreads: Netty's default (adaptive)
        // allocator keeps a per-thread magazine only for those, and takes a shared, contended path on others.
        Throwable[] failure = new Throwable[1];
        Thread runner = new FastThreadLocalThread(() -> {
            try {
                measure(args);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "compression-cpu-time");
        runner.start();
        runner.join();
        if (failure[0] != null) {
            failure[0].printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void measure(String[] args) throws Exception {
        List<String> codecs = List.of((args.length > 0 ? args[0] : "deflate,gzip,brotli,zstd").split(","));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("| codec | level | corpus | filter ms/op | filter, one send each ms/op "
                + "| pipe alone, one send each ms/op | raw per message ms/op | raw stream ms/op "
                + "| raw stream / filter | raw per message / filter, one send each |");
        System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Corpus corpus : Corpus.values()) {
            List<byte[]> chunks = corpus.chunks();
            for (String codec : codecs) {
                for (String level : List.of("fast", "default")) {
                    int n = CompressionBenchmark.level(codec, level);
                    CompressionOptions options = CompressionOptions.builder(Codec.of(codec)).level(n).build();
                    RawPerMessage perMessage = RawPerMessage.of(codec, n);
                    RawCodec stream = RawCodec.of(codec, n);
                    Path[] paths = {
                        () -> FilterRoundTrip.roundTrip(options, chunks),
                        () -> FilterRoundTrip.roundTripOneSendEach(options, chunks),
                        () -> FilterRoundTrip.roundTripOneSendEach(Filter.identity(), chunks),
                        () -> perMessage.decompress(perMessage.compress(chunks)),
                        () -> stream.decompress(stream.compress(chunks))};
                    long[][] times = new long[paths.length][rounds];
                    for (int warm = 0; warm < rounds / 2; warm++) {
                        for (Path path : paths) {
                            path.run();
                        }
                    }
                    for (int round = 0; round < rounds; round++) {
                        for (int p = 0; p < paths.length; p++) {
                            long start = threads.getCurrentThreadCpuTime();
                            for (int op = 0; op < OPS_PER_ROUND; op++) {
                                paths[p].run();
                            }
                            times[p][round] = (threads.getCurrentThreadCpuTime() - start) / OPS_PER_ROUND;
                        }
                    }
                    double filter = median(times[0]) / 1e6;
                    double oneByOne = median(times[1]) / 1e6;
                    double pipeAlone = median(times[2]) / 1e6;
                    double raw = median(times[3]) / 1e6;
                    double whole = median(times[4]) / 1e6;
                    System.out.printf(Locale.ROOT,
                            "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", codec, level,
                            corpus, filter, oneByOne, pipeAlone, raw, whole, whole / filter, raw / oneByOne);
                }
            }
        }
    }

    private interface Path {
        long run() throws Exception;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
