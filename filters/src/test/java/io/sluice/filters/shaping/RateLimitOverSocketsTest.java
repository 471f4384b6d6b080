package io.sluice.filters.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The rate limit on a real server, with the JDK's blocking socket as the peer: 512 KiB in each direction at
 * 256 KiB/s take at least the time the rate allows, counted from the first byte, less the burst and one read or
 * write that may overshoot it. Only that lower bound is checked: a loaded machine can only make it slower.
 */
class RateLimitOverSocketsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int RATE = 256 * 1024;
    private static final int BURST = 16 * 1024;
    private static final int TOTAL = 512 * 1024;
    /** The most one read may bring: Netty's adaptive read size stops at 64 KiB. */
    private static final int LARGEST_READ = 64 * 1024;
    private static final int WRITE = 8 * 1024;

    @Test
    void aServerReadsNoFasterThanItsReceiveRate() throws Exception {
        CompletableFuture<Long> readNanos = new CompletableFuture<>();
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(RateLimit.builder().receiveRate(RATE).burst(BURST).build())
                .handler(c -> {
                    AtomicLong first = new AtomicLong();
                    AtomicLong bytes = new AtomicLong();
                    return c.receive().doOnNext(buf -> {
                        first.compareAndSet(0, System.nanoTime());
                        bytes.addAndGet(buf.readableBytes());
                        buf.release();
                    }).then().doOnSuccess(v -> readNanos.complete(bytes.get() == TOTAL
                            ? System.nanoTime() - first.get() : -bytes.get()));
                })
                .bind().block(TIMEOUT);
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = peer.getOutputStream();
            out.write(new byte[TOTAL]); // the kernel's buffers take much of it at once; the server reads at its rate
            peer.shutdownOutput();
            long nanos = readNanos.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(nanos).as("nanoseconds to read %d B (negative: bytes read, short)", TOTAL)
                    .isGreaterThanOrEqualTo(least(TOTAL - BURST - LARGEST_READ));
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
    }

    @Test
    void aServerWritesNoFasterThanItsSendRate() throws Exception {
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(RateLimit.builder().sendRate(RATE).burst(BURST).build())
                .handler(c -> c.send(Flux.range(0, TOTAL / WRITE)
                        .map(i -> (ByteBuf) c.budget().allocator().buffer(WRITE).writeZero(WRITE))))
                .bind().block(TIMEOUT);
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            peer.setSoTimeout((int) TIMEOUT.toMillis());
            InputStream in = peer.getInputStream();
            byte[] chunk = new byte[WRITE];
            long first = 0;
            long total = 0;
            for (int n; (n = in.read(chunk)) > 0; ) {
                if (first == 0) {
                    first = System.nanoTime();
                }
                total += n;
            }
            long nanos = System.nanoTime() - first;
            assertThat(total).isEqualTo(TOTAL);
            assertThat(nanos).as("nanoseconds to receive %d B", TOTAL)
                    .isGreaterThanOrEqualTo(least(TOTAL - BURST - WRITE));
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
    }

    /** The least time {@code bytes} take at the rate, less 50 ms for the millisecond clock the timers run on. */
    private static long least(long bytes) {
        return bytes * 1_000_000_000L / RATE - TimeUnit.MILLISECONDS.toNanos(50);
    }
}
