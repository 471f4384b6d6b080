package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/**
 * Opens and closes 10,000 compressed connections per native codec, each compressing and decompressing a little in
 * both directions so that four native contexts are really created, and checks that resident memory comes back.
 *
 * <p>Tolerance: 64 MiB. The smallest native allocation a connection makes is Brotli4j's 16 KiB input buffer (two
 * per connection side) or a zstd decompression context (about 160 KiB once used); leaking even that for 10,000
 * connections is over 300 MiB, five times the tolerance, and a leaked brotli or zstd compression context (1 MiB or
 * more each) would be gigabytes. What the tolerance absorbs is the JIT, the allocator's arenas and the heap's
 * committed size moving between the two readings.
 */
class NativeContextMemoryTest {

    private static final int CONNECTIONS = 10_000;
    private static final int BATCH = 100;
    private static final long TOLERANCE = 64L << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void residentMemoryReturnsAfterTenThousandConnections(Codec codec) throws Exception {
        byte[] message = NativeStreams.text(21, 2000);
        // Warm up until the JIT, the thread-local scratch buffers and the C allocator's arenas reach their steady
        // size, so that what the measured run adds is what it keeps.
        runBatches(codec, message, 30);
        long before = settledRss();
        long heapBefore = committedHeap();
        long start = System.nanoTime();
        runBatches(codec, message, CONNECTIONS / BATCH);
        long after = settledRss();
        // The JVM may grow its committed heap meanwhile; those pages are Java heap, not native contexts, and
        // at most all of them became resident, so their growth is taken off.
        long heapGrowth = Math.max(0, committedHeap() - heapBefore);
        long nativeGrowth = after - before - heapGrowth;
        System.out.printf("%s: %d connections in %d ms, VmRSS %d KiB before, %d KiB after, heap committed %+d KiB,"
                + " native growth %+d KiB%n", codec.label(), CONNECTIONS, (System.nanoTime() - start) / 1_000_000,
                before >> 10, after >> 10, heapGrowth >> 10, nativeGrowth >> 10);
        assertThat(nativeGrowth).as(codec.label() + " resident memory growth outside the Java heap over "
                + CONNECTIONS + " connections (bytes)").isLessThan(TOLERANCE);
    }

    private static void runBatches(Codec codec, byte[] message, int batches) {
        for (int b = 0; b < batches; b++) {
            List<Mono<Void>> all = new ArrayList<>(BATCH);
            List<Pipe> pipes = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                Pipe pipe = TrackedPipes.create();
                pipes.add(pipe);
                Connection client = Compression.of(codec).apply(pipe.left());
                Connection server = Compression.of(codec).apply(pipe.right());
                server.send(server.receive()).subscribe(null, e -> { }); // echo: both directions compress
                Mono<byte[]> echoed = client.receive()
                        .scan(0, (n, buf) -> {
                            int total = n + buf.readableBytes();
                            buf.release();
                            return total;
                        })
                        .takeUntil(n -> n >= message.length)
                        .last()
                        .map(n -> new byte[0]);
                client.send(Mono.just(NativeStreams.buffer(client, message, 0, message.length))).subscribe();
                all.add(echoed.then());
            }
            Mono.when(all).block(TIMEOUT);
            for (Pipe pipe : pipes) {
                pipe.close();
                Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
            }
        }
    }

    private static long settledRss() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rss();
    }

    private static long committedHeap() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /** VmRSS of this process, in bytes. */
    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS line in /proc/self/status");
    }
}
