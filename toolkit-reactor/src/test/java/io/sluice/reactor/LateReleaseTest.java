package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BudgetLeak;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import io.sluice.test.SluiceTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * A filter may release what it holds a moment after the socket closed, on another thread (a TLS engine finishing a
 * delegated task): the connection waits for its account to settle before checking it, so that a late release is
 * not reported as a leak, while a buffer never released still is.
 */
class LateReleaseTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void buffersReleasedJustAfterTheCloseAreNotALeak() {
        Queue<ByteBuf> held = new ConcurrentLinkedQueue<>();
        try (Peers peers = new Peers(holding(held, Duration.ofMillis(200)))) {
            Connection c = peers.client.connect().block(TIMEOUT);
            c.receive().subscribe(ByteBuf::release, e -> { });
            c.onClose().block(TIMEOUT);

            assertThat(held).as("released by the filter before the connection finished").isEmpty();
            assertThat(c.budget().outstandingBytes()).isZero();
            assertThat(peers.client.metrics().leaks()).isZero();
        }
    }

    @Test
    void aBufferNeverReleasedIsStillALeakReportedWithinTheBound() {
        Queue<ByteBuf> held = new ConcurrentLinkedQueue<>();
        try (Peers peers = new Peers(holding(held, null))) {
            Connection c = peers.client.connect().block(TIMEOUT);
            c.receive().subscribe(ByteBuf::release, e -> { });
            c.onClose().block(ChannelConnection.LATE_RELEASE_BOUND.plus(TIMEOUT));

            assertThat(peers.client.metrics().leaks()).isEqualTo(1);
            List<BudgetLeak> leaks = SluiceTest.claimBudgetLeaks();
            assertThat(leaks).hasSize(1);
            assertThat(leaks.get(0).message()).contains("held by the test filter");
        } finally {
            held.forEach(ByteBuf::release);
        }
    }

    /**
     * A client filter that keeps every buffer it receives and, when its lower stream ends, releases them after
     * {@code delay} on a timer thread (never, when null) and only then ends its own stream.
     */
    private static Filter holding(Queue<ByteBuf> held, Duration delay) {
        return lower -> new ConnectionLayer(lower) {
            @Override
            public Flux<ByteBuf> receive() {
                return Flux.create(sink -> lower.receive().subscribe(new BaseSubscriber<ByteBuf>() {
                    @Override
                    protected void hookOnNext(ByteBuf b) {
                        held.add(b.touch("held by the test filter"));
                    }

                    @Override
                    protected void hookFinally(SignalType type) {
                        if (delay == null) {
                            sink.complete();
                            return;
                        }
                        Mono.delay(delay).subscribe(x -> {
                            ByteBuf b;
                            while ((b = held.poll()) != null) {
                                b.release();
                            }
                            sink.complete();
                        });
                    }
                }));
            }
        };
    }

    /** A server that says hello and closes, and a client with the given filter. */
    private static final class Peers implements AutoCloseable {
        final Server server;
        final Client client;

        Peers(Filter clientFilter) {
            server = Server.tcp().allocator(SluiceTest.allocator())
                    .handler(c -> c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer()
                            .writeBytes("hello".getBytes(StandardCharsets.US_ASCII)))))
                    .bind().block(TIMEOUT);
            client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).filter(clientFilter).build();
        }

        @Override
        public void close() {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
    }
}
