package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class BudgetBackpressureTest {

    private static final long LOW = 64 * 1024;
    private static final long HIGH = 128 * 1024;
    /** The largest buffer Reactor Netty's adaptive read allocator hands out for one read. */
    private static final long ONE_READ = 64 * 1024;
    private static final int TOTAL = 2 * 1024 * 1024;

    @Test
    void slowHandlerKeepsOutstandingBytesUnderHighWaterPlusOneReadAndLosesNothing() {
        AtomicLong maxOutstanding = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong firstMismatch = new AtomicLong(-1);
        // A thread where blocking is allowed: the consumer is slow on purpose, off the event loops.
        Scheduler slow = Schedulers.newBoundedElastic(1, 100_000, "slow-consumer");
        Server server = Server.tcp().allocator(SluiceTest.allocator()).allocator(SluiceTest.allocator())
                .budget(LOW, HIGH)
                .handler(c -> c.receive()
                        .doOnNext(b -> maxOutstanding.accumulateAndGet(c.budget().outstandingBytes(), Math::max))
                        // A consumer that asks for a lot and is slow to finish each buffer: buffers pile up in the
                        // publishOn queue until the budget stops the reading.
                        .publishOn(slow, 4096)
                        .doOnNext(b -> {
                            try {
                                verifySequence(b, received, firstMismatch);
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                b.release();
                            }
                        })
                        .takeUntil(b -> received.get() >= TOTAL)
                        .then())
                .bind().block(Duration.ofSeconds(5));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            Flux<ByteBuf> flood = Flux.range(0, TOTAL / 4096).map(i -> {
                ByteBuf b = c.budget().allocator().buffer(4096);
                for (int j = 0; j < 4096; j++) {
                    b.writeByte((int) ((i * 4096L + j) % 251));
                }
                return b;
            });
            c.send(flood).block(Duration.ofSeconds(60));
            // The server closes once it has read everything; the client's inbound stream then ends.
            c.receive().doOnNext(ByteBuf::release).then().block(Duration.ofSeconds(30));
            c.onClose().block(Duration.ofSeconds(5));
            assertThat(received.get()).isEqualTo(TOTAL);
            assertThat(firstMismatch.get()).as("offset of the first byte out of sequence").isEqualTo(-1);
            assertThat(maxOutstanding.get()).isGreaterThan(LOW).isLessThanOrEqualTo(HIGH + ONE_READ);
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(20));
            slow.dispose();
        }
        assertThat(server.metrics().leaks()).isZero();
    }

    private static void verifySequence(ByteBuf b, AtomicLong received, AtomicLong firstMismatch) {
        long offset = received.get();
        for (int i = b.readerIndex(); i < b.writerIndex(); i++, offset++) {
            if ((b.getByte(i) & 0xff) != offset % 251 && firstMismatch.get() < 0) {
                firstMismatch.set(offset);
            }
        }
        received.set(offset);
    }

    @Test
    void peerThatNeverReadsStopsTheEchoServerFromReading() {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).budget(LOW, HIGH).handler(c -> c.send(c.receive()))
                .bind().block(Duration.ofSeconds(5));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).budget(LOW, HIGH).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            AtomicLong sent = new AtomicLong();
            // The client sends forever and never subscribes to receive(): the server's writes back up, its
            // budget fills with unwritten echoes, it stops reading, and the client's sends stall in turn.
            c.send(Flux.<ByteBuf>generate(sink -> {
                ByteBuf b = c.budget().allocator().buffer(4096);
                b.writeZero(4096);
                sent.addAndGet(4096);
                sink.next(b);
            })).onErrorResume(e -> Mono.empty()).subscribe();
            // Stalled: nothing more sent for half a second. A loaded machine may take a while to fill the socket
            // buffers and both budgets, so wait for it, within a bound.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long stalledAt;
            do {
                stalledAt = sent.get();
                Mono.delay(Duration.ofMillis(500)).block();
            } while (sent.get() != stalledAt && System.nanoTime() < deadline);
            assertThat(sent.get()).as("client sends stall").isEqualTo(stalledAt);
            long serverHeld = server.metrics().outstandingBytes();
            assertThat(serverHeld).isLessThanOrEqualTo(HIGH + ONE_READ);
            c.close();
            c.onClose().block(Duration.ofSeconds(5));
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(20));
        }
        assertThat(server.metrics().leaks()).isZero();
        assertThat(client.metrics().leaks()).isZero();
    }
}
