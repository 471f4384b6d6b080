package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
 * more each) would be gigabytes. What the tolerance absorbs is the JIT and the C allocator's arenas moving between
 * the two readings.
 *
 * <p>A leak repeats; noise does not. Memory outside the heap can also grow once for reasons that have nothing to do
 * with the codecs: in a JVM that has run a thousand tests before, G1 commits its card table and marking bitmaps (about
 * 2% of the heap) as the heap expands, and CI once saw 66 MiB of such growth. So up to {@value #RUNS} runs of 10,000
 * connections are measured one after the other, and the test passes as soon as one of them grows less than the
 * tolerance; a leak grows by hundreds of mebibytes in every run and fails all of them.
 *
 * <p>What is measured is resident memory outside the Java heap ({@link NativeResidentMemory}), not the process's
 * {@code VmRSS}: heap pages the JVM had committed but not yet touched become resident during the run, which once
 * failed this test in CI with 226 MiB of "growth" and no leak. The last two tests show that the meter ignores
 * touched heap and counts native memory.
 */
class NativeContextMemoryTest {

    private static final int CONNECTIONS = 10_000;
    private static final int BATCH = 100;
    private static final long TOLERANCE = 64L << 20;
    private static final int RUNS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void residentMemoryReturnsAfterTenThousandConnections(Codec codec) throws Exception {
        byte[] message = NativeStreams.text(21, 2000);
        // Warm up until the JIT, the thread-local scratch buffers and the C allocator's arenas reach their steady
        // size, so that what the measured run adds is what it keeps.
        runBatches(codec, message, 30);
        NativeResidentMemory meter = NativeResidentMemory.ofThisProcess();
        List<Long> growths = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            long before = meter.settledBytes();
            long start = System.nanoTime();
            runBatches(codec, message, CONNECTIONS / BATCH);
            long after = meter.settledBytes();
            long growth = after - before;
            growths.add(growth >> 10);
            System.out.printf("%s, run %d: %d connections in %d ms, resident outside the heap %d KiB before, %d KiB"
                    + " after, growth %+d KiB%n", codec.label(), run, CONNECTIONS,
                    (System.nanoTime() - start) / 1_000_000, before >> 10, after >> 10, growth >> 10);
            if (growth < TOLERANCE) {
                return;
            }
        }
        throw new AssertionError(codec.label() + ": resident memory outside the Java heap grew by at least "
                + (TOLERANCE >> 10) + " KiB in each of " + RUNS + " runs of " + CONNECTIONS
                + " connections, a leak: growths (KiB) " + growths);
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

    @Test
    void theMeterDoesNotCountHeapPagesTouchedForTheFirstTime() throws Exception {
        NativeResidentMemory meter = NativeResidentMemory.ofThisProcess();
        long nativeBefore = meter.settledBytes();
        long rssBefore = rss();
        // Humongous arrays, kept live, until 256 MiB of heap pages have become resident: earlier tests may have
        // left free heap regions resident, so the first arrays may not add any. A small heap (a machine with little
        // memory) cannot take that much: then half of what it may allocate, still well above the tolerance.
        long bound = Math.min(Runtime.getRuntime().maxMemory() / 2, 2L << 30);
        long target = Math.min(256L << 20, bound / 2);
        List<byte[]> arrays = new ArrayList<>();
        long rssGrowth = 0;
        for (long allocated = 0; allocated < bound && rssGrowth < target; allocated += 32 << 20) {
            byte[] array = new byte[32 << 20];
            java.util.Arrays.fill(array, (byte) 1);
            arrays.add(array);
            rssGrowth = rss() - rssBefore;
        }
        long nativeGrowth = meter.bytes() - nativeBefore;
        assertThat(arrays.get(arrays.size() - 1)[12345]).isEqualTo((byte) 1);
        assertThat(target).as("heap to make resident, above the tolerance").isGreaterThan(TOLERANCE);
        assertThat(rssGrowth).as("VmRSS growth after allocating up to %d MiB of heap", bound >> 20)
                .isGreaterThanOrEqualTo(target);
        assertThat(nativeGrowth).as("growth outside the heap while heap pages became resident")
                .isLessThan(TOLERANCE);
    }

    @Test
    void theMeterCountsNativeMemory() throws Exception {
        NativeResidentMemory meter = NativeResidentMemory.ofThisProcess();
        long before = meter.settledBytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(256 << 20);
        for (int i = 0; i < direct.capacity(); i += 4096) {
            direct.put(i, (byte) 1);
        }
        long growth = meter.bytes() - before;
        assertThat(direct.get(4096)).isEqualTo((byte) 1);
        assertThat(growth).as("growth outside the heap after touching 256 MiB of direct memory")
                .isGreaterThan(192L << 20);
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
