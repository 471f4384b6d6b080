package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The byte counters are kept per event loop and added to by that loop alone: every byte is in the totals exactly
 * once, as soon as it was read or written, also for connections that closed in the middle of a read batch.
 */
class ByteCountsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void countsEveryByteExactlyOnceAfterTheConnectionsClose() {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(c -> c.send(c.receive()))
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        int connections = 3;
        int size = 1000;
        int buffers = 300;
        try {
            for (int i = 0; i < connections; i++) {
                Connection c = client.connect().block(TIMEOUT);
                c.send(Flux.range(0, buffers).map(n -> c.budget().allocator().buffer(size).writeZero(size)))
                        .subscribe();
                AtomicLong got = new AtomicLong();
                c.receive()
                        .doOnNext(b -> {
                            got.addAndGet(b.readableBytes());
                            b.release();
                        })
                        .takeUntil(b -> got.get() >= (long) size * buffers)
                        .then()
                        .block(TIMEOUT);
                assertThat(got.get()).isEqualTo((long) size * buffers);
                long sofar = (long) (i + 1) * size * buffers;
                assertThat(server.metrics().bytesIn()).as("counted as read, before the close").isEqualTo(sofar);
                assertThat(client.metrics().bytesIn()).isEqualTo(sofar);
                c.close();
                c.onClose().block(TIMEOUT);
            }
            await(() -> server.metrics().closed() == connections);
            long total = (long) connections * size * buffers;
            assertThat(server.metrics().bytesIn()).isEqualTo(total);
            assertThat(server.metrics().bytesOut()).isEqualTo(total);
            assertThat(client.metrics().bytesOut()).isEqualTo(total);
            assertThat(client.metrics().bytesIn()).isEqualTo(total);
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
    }

    @Test
    void countsTheBytesOfAConnectionClosedInTheMiddleOfAReadBatch() {
        AtomicLong seen = new AtomicLong();
        AtomicLong written = new AtomicLong();
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(c -> {
            // Answers the first buffer and closes from inside its onNext, while the gate is delivering reads.
            return c.receive().take(1).concatMap(b -> {
                int n = b.readableBytes();
                seen.addAndGet(n);
                written.addAndGet(n);
                return c.send(Mono.just(b)).then(Mono.fromRunnable(c::close));
            }).then();
        }).bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        long sent = 256 * 1024;
        try {
            Connection c = client.connect().block(TIMEOUT);
            c.send(Flux.range(0, 64).map(n -> c.budget().allocator().buffer(4096).writeZero(4096)))
                    .onErrorResume(e -> Mono.empty()).subscribe();
            c.receive().doOnNext(ByteBuf::release).then().onErrorResume(e -> Mono.empty()).block(TIMEOUT);
            c.close();
            c.onClose().block(TIMEOUT);
            await(() -> server.metrics().closed() == 1);
            assertThat(seen.get()).isPositive();
            assertThat(server.metrics().bytesOut()).isEqualTo(written.get());
            assertThat(server.metrics().bytesIn()).isBetween(seen.get(), sent);
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited for the connections to finish").isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
