package io.sluice.benchmarks;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.sluice.samples.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One echo server of a given kind, run as a child process of the comparison so that the server has a JVM of its
 * own; with {@code --tls PROVIDER --cert FILE --key FILE}, a TLS echo server ({@code sluice} and {@code reactor}
 * only, see {@link BenchTls}). Prints {@code listening on HOST:PORT}, then obeys lines on stdin:
 * <ul>
 *   <li>{@code gc}: collects fully a few times, then prints {@code heap used=BYTES direct=BYTES rss=BYTES} (heap
 *       after GC, the direct memory Netty's default allocator has handed out, and the process's resident set, which
 *       also counts native memory such as OpenSSL's);</li>
 *   <li>{@code quit}, or the end of stdin (the parent died): stops the server and exits.</li>
 * </ul>
 */
public final class BenchServer {

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options("BenchServer", "An echo server of one kind, controlled over stdin.")
                .option("kind", "KIND", "sluice", "sluice, reactor or netty")
                .option("host", "ADDRESS", "127.0.0.1", "address to listen on")
                .option("port", "PORT", "0", "port to listen on (0 picks a free one)")
                .option("threads", "N", "1", "event-loop threads")
                .option("tls", "PROVIDER", null, "serve TLS with jdk, bc or openssl (sluice and reactor only)")
                .option("cert", "FILE", null, "with --tls: PEM certificate chain")
                .option("key", "FILE", null, "with --tls: PEM PKCS#8 key")
                .flag("sluice-inline-tasks", "with --tls, diagnostic: Sluice runs delegated tasks on the event "
                        + "loop, as Netty does")
                .parseOrExit(args);
        String host = options.string("host");
        int port = options.integer("port");
        int threads = options.integer("threads");
        BenchTls tls = BenchTls.fromArgs(options);
        RunningServer server = switch (EchoKind.of(options.string("kind"))) {
            case SLUICE -> SluiceEchoServer.start(host, port, threads, tls);
            case REACTOR -> ReactorNettyEchoServer.start(host, port, threads, tls);
            case NETTY -> {
                if (tls != null) {
                    throw new IllegalArgumentException("--kind netty has no TLS variant here");
                }
                yield NettyEchoServer.start(host, port, threads);
            }
        };
        System.out.println("listening on " + host + ":" + server.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            if (line.equals("gc")) {
                System.out.println(heapAfterGc());
            }
        }
        server.stop();
        System.exit(0);
    }

    static String heapAfterGc() throws InterruptedException, IOException {
        // Several rounds: objects with finalizers or reference queues need more than one collection to go.
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(150);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                ? provider.metric().usedDirectMemory() : -1;
        return "heap used=" + heap + " direct=" + direct + " rss=" + residentSetSize();
    }

    /** The process's resident set in bytes, from {@code /proc/self/status}; -1 where there is none. */
    private static long residentSetSize() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException notLinux) {
            // fall through
        }
        return -1;
    }
}
