package io.sluice.filters.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The rate limit over an in-memory pipe, on virtual time: how many bytes have passed at each second, in each
 * direction, how the stream below is asked for data, and how waits end with the stream.
 */
class RateLimitTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int READ = 1000;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    /** Each request the filter made of the pipe's inbound stream. */
    private final List<Long> lowerRequests = new CopyOnWriteArrayList<>();
    private Pipe pipe;
    private Pipe.End peer;
    private Connection lower;

    @BeforeEach
    void open() {
        pipe = TrackedPipes.create(Chunking.atMost(READ)); // on the test kit's allocator: made once the test runs
        peer = pipe.left();
        lower = new ConnectionLayer(pipe.right()) {
            @Override
            public Flux<ByteBuf> receive() {
                return super.receive().doOnRequest(lowerRequests::add);
            }
        };
    }

    @AfterEach
    void close() {
        pipe.close();
        Mono.when(peer.onClose(), pipe.right().onClose()).block(TIMEOUT);
        time.dispose();
    }

    private RateLimit.Builder limit() {
        return RateLimit.builder().burst(READ).timers(time);
    }

    @Test
    void readsNoFasterThanTheRateOnceTheBurstIsSpent() {
        Connection upper = limit().receiveRate(1000).build().apply(lower);
        AtomicLong received = new AtomicLong();
        upper.receive().subscribe(buf -> {
            received.addAndGet(buf.readableBytes());
            buf.release();
        });
        peer.send(Mono.just(peer.budget().allocator().buffer().writeZero(10 * READ))).subscribe(null, e -> { });

        // The burst and one read at once, then one read of 1,000 B per second.
        awaitExactly(received::get, 2 * READ, "at 0 s");
        for (int second = 1; second <= 8; second++) {
            time.advanceTimeBy(Duration.ofSeconds(1));
            awaitExactly(received::get, (2 + second) * READ, "at " + second + " s");
        }
        assertThat(lowerRequests).as("the stream below is asked for one read at a time").containsOnly(1L);
    }

    @Test
    void sendsNoFasterThanTheRateOnceTheBurstIsSpent() {
        Connection upper = limit().sendRate(2000).build().apply(lower);
        AtomicLong atPeer = new AtomicLong();
        peer.receive().subscribe(buf -> {
            atPeer.addAndGet(buf.readableBytes());
            buf.release();
        });
        AtomicLong pulled = new AtomicLong();
        upper.send(Flux.range(0, 10).map(i -> upper.budget().allocator().buffer().writeZero(READ))
                .doOnNext(b -> pulled.incrementAndGet())).subscribe(null, e -> { });

        // 2,000 B/s: the burst and one buffer at once, then two buffers a second.
        awaitExactly(atPeer::get, 2 * READ, "at 0 s");
        assertThat(pulled).as("buffers taken from the application at 0 s").hasValue(2);
        for (int second = 1; second <= 4; second++) {
            time.advanceTimeBy(Duration.ofSeconds(1));
            awaitExactly(atPeer::get, (2 + 2 * second) * READ, "at " + second + " s");
        }
        assertThat(pulled).hasValue(10);
    }

    @Test
    void leavesADirectionWithoutARateAlone() {
        Connection upper = limit().receiveRate(1).build().apply(lower);
        AtomicLong atPeer = new AtomicLong();
        peer.receive().subscribe(buf -> {
            atPeer.addAndGet(buf.readableBytes());
            buf.release();
        });
        upper.send(Flux.range(0, 10).map(i -> upper.budget().allocator().buffer().writeZero(READ))).block(TIMEOUT);
        awaitExactly(atPeer::get, 10 * READ, "sent without a send rate, at 0 s");
    }

    @Test
    void endsAtOnceWhenTheStreamBelowEndsDuringAWait() throws Exception {
        Connection upper = limit().receiveRate(10).build().apply(lower);
        AtomicLong received = new AtomicLong();
        CompletableFuture<String> ended = upper.receive().doOnNext(buf -> {
            received.addAndGet(buf.readableBytes());
            buf.release();
        }).then(Mono.just("completed")).onErrorResume(e -> Mono.just("failed: " + e)).toFuture();
        peer.send(Mono.just(peer.budget().allocator().buffer().writeZero(10 * READ))).subscribe(null, e -> { });

        awaitExactly(received::get, 2 * READ, "before the wait");
        pipe.right().close(); // the stream below ends while the filter waits to ask for more
        assertThat(ended.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the end, with no time passing")
                .isEqualTo("completed");
        assertThat(received).hasValue(2 * READ);
    }

    @Test
    void cancellingDuringAWaitStopsAskingAndHoldsNothing() {
        Connection upper = limit().receiveRate(1000).build().apply(lower);
        AtomicLong received = new AtomicLong();
        Disposable reading = upper.receive().subscribe(buf -> {
            received.addAndGet(buf.readableBytes());
            buf.release();
        });
        peer.send(Mono.just(peer.budget().allocator().buffer().writeZero(10 * READ))).subscribe(null, e -> { });
        awaitExactly(received::get, 2 * READ, "before cancelling");

        reading.dispose();
        int asked = lowerRequests.size();
        time.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(lowerRequests).as("requests after cancelling").hasSize(asked);
        assertThat(received).hasValue(2 * READ);
    }

    @Test
    void refusesBadSettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.builder().build())
                .withMessage("no rate set: set receiveRate, sendRate or both");
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.builder().receiveRate(-1).build())
                .withMessageStartingWith("rates must be >= 0 bytes per second");
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.builder().sendRate(1).burst(0).build())
                .withMessage("burst must be > 0 bytes, got 0");
        assertThat(RateLimit.builder().sendRate(5).build())
                .hasToString("RateLimit[receive unlimited, send 5 B/s, burst 65536 B]");
    }

    /** Waits until {@code value} reaches {@code expected}, failing if it does not or goes past it. */
    private static void awaitExactly(LongSupplier value, long expected, String when) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (value.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(value.getAsLong()).as("bytes passed " + when).isEqualTo(expected);
    }
}
