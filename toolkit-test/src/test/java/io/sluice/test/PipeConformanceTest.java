package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.ConnectionClosedException;
import io.sluice.api.ConnectionResetException;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class PipeConformanceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static Flux<ByteBuf> text(Pipe.End end, String... parts) {
        return Flux.fromArray(parts)
                .map(p -> end.budget().allocator().buffer().writeBytes(p.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String drain(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.US_ASCII);
        } finally {
            buf.release();
        }
    }

    private static Mono<String> readAll(Pipe.End end) {
        return end.receive().map(PipeConformanceTest::drain).reduce("", String::concat);
    }

    @Test
    void echoesRoundTrip() {
        Pipe pipe = TrackedPipes.create();
        pipe.right().send(pipe.right().receive()).subscribe();
        var echoed = pipe.left().receive().map(PipeConformanceTest::drain).next().toFuture();
        pipe.left().send(text(pipe.left(), "ping")).block(TIMEOUT);
        assertThat(echoed).succeedsWithin(TIMEOUT).isEqualTo("ping");
        pipe.close();
        pipe.left().onClose().then(pipe.right().onClose()).block(TIMEOUT);
    }

    @Test
    void everyByteChunkingPreservesBytesAndOrder() {
        Pipe pipe = TrackedPipes.create(Chunking.everyByte());
        AtomicInteger reads = new AtomicInteger();
        Mono<String> received = pipe.right().receive().doOnNext(b -> reads.incrementAndGet())
                .map(PipeConformanceTest::drain).reduce("", String::concat);
        pipe.left().send(text(pipe.left(), "hello", " ", "world")).then(Mono.fromRunnable(pipe.left()::close))
                .subscribe();
        assertThat(received.block(TIMEOUT)).isEqualTo("hello world");
        assertThat(reads).hasValue(11);
    }

    @Test
    void randomChunkingPreservesBytes() {
        Pipe pipe = TrackedPipes.create(RandomChunking.seeded(42, 3));
        Mono<String> received = readAll(pipe.right());
        pipe.left().send(text(pipe.left(), "abcdefghij", "klmnop")).then(Mono.fromRunnable(pipe.left()::close))
                .subscribe();
        assertThat(received.block(TIMEOUT)).isEqualTo("abcdefghijklmnop");
    }

    @Test
    void receiveAllowsOnlyOneSubscriber() {
        Pipe pipe = TrackedPipes.create();
        pipe.right().receive().subscribe(ByteBuf::release);
        StepVerifier.create(pipe.right().receive()).expectError(IllegalStateException.class).verify(TIMEOUT);
        pipe.close();
    }

    @Test
    void slowReceiverGetsOnlyWhatItRequests() {
        Pipe pipe = TrackedPipes.create();
        pipe.left().send(text(pipe.left(), "a", "b", "c")).subscribe();
        StepVerifier.create(pipe.right().receive().map(PipeConformanceTest::drain), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(20))
                .thenRequest(1)
                .expectNext("a")
                .expectNoEvent(Duration.ofMillis(20))
                .thenRequest(2)
                .expectNext("b", "c")
                .then(pipe.left()::close)
                .verifyComplete();
    }

    @Test
    void exhaustedBudgetStopsPullingFromTheSendersPublisher() {
        Pipe pipe = Pipe.create(TrackedPipes.options().waterMarks(16, 64));
        AtomicInteger taken = new AtomicInteger();
        Flux<ByteBuf> many = Flux.range(0, 1000)
                .map(i -> pipe.left().budget().allocator().buffer(16, 16).writeZero(16));
        pipe.left().send(many.doOnNext(b -> taken.incrementAndGet())).subscribe(v -> { }, e -> { });
        StepVerifier.create(pipe.right().receive(), 1)
                .consumeNextWith(ByteBuf::release)
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> assertThat(taken.get()).as("buffers taken from the sender").isLessThanOrEqualTo(8))
                .thenCancel()
                .verify(TIMEOUT);
        pipe.close();
        pipe.left().onClose().then(pipe.right().onClose()).block(TIMEOUT);
        assertThat(pipe.right().budget().outstandingBytes()).isZero();
    }

    @Test
    void closeDeliversWhatWasSentThenCompletesPeer() {
        Pipe pipe = TrackedPipes.create();
        var received = readAll(pipe.right()).toFuture();
        pipe.left().send(text(pipe.left(), "last", " words")).block(TIMEOUT);
        pipe.left().close();
        assertThat(received).succeedsWithin(TIMEOUT).isEqualTo("last words");
    }

    @Test
    void shutdownOutputHalfClosesOneDirectionOnly() {
        Pipe pipe = TrackedPipes.create();
        var request = readAll(pipe.right()).toFuture();
        var reply = readAll(pipe.left()).toFuture();
        pipe.left().send(text(pipe.left(), "request")).block(TIMEOUT);
        pipe.left().shutdownOutput();
        assertThat(request).succeedsWithin(TIMEOUT).isEqualTo("request");
        pipe.right().send(text(pipe.right(), "response")).block(TIMEOUT);
        pipe.right().close();
        assertThat(reply).succeedsWithin(TIMEOUT).isEqualTo("response");
    }

    @Test
    void resetErrorsBothReceivesAndPendingSends() {
        Pipe pipe = TrackedPipes.create();
        pipe.right().stall(true);
        Mono<Void> pending = pipe.left().send(text(pipe.left(), "x", "y")).cache();
        pending.subscribe(v -> { }, e -> { });
        StepVerifier left = StepVerifier.create(pipe.left().receive())
                .expectError(ConnectionResetException.class).verifyLater();
        StepVerifier right = StepVerifier.create(pipe.right().receive())
                .expectError(ConnectionResetException.class).verifyLater();
        pipe.left().reset();
        left.verify(TIMEOUT);
        right.verify(TIMEOUT);
        StepVerifier.create(pending).expectError(ConnectionResetException.class).verify(TIMEOUT);
    }

    @Test
    void cancelledReceiveReleasesLaterData() {
        Pipe pipe = TrackedPipes.create();
        StepVerifier.create(pipe.right().receive().map(PipeConformanceTest::drain))
                .then(() -> pipe.left().send(text(pipe.left(), "one")).subscribe())
                .expectNext("one")
                .thenCancel()
                .verify(TIMEOUT);
        pipe.left().send(text(pipe.left(), "two", "three")).block(TIMEOUT);
        assertThat(pipe.right().budget().outstandingBytes()).isZero();
    }

    @Test
    void onCloseCompletesAfterCloseWithBudgetAtZero() {
        Pipe pipe = TrackedPipes.create();
        pipe.right().receive().subscribe(ByteBuf::release);
        pipe.left().send(text(pipe.left(), "data")).block(TIMEOUT);
        pipe.close();
        StepVerifier.create(pipe.left().onClose().then(pipe.right().onClose())).verifyComplete();
        assertThat(pipe.left().budget().outstandingBytes()).isZero();
        assertThat(pipe.right().budget().outstandingBytes()).isZero();
        assertThat(pipe.right().budget().isClosed()).isTrue();
    }

    @Test
    void sendAfterPeerClosedFailsWithConnectionClosed() {
        Pipe pipe = TrackedPipes.create();
        pipe.right().close();
        StepVerifier.create(pipe.left().send(text(pipe.left(), "too late")))
                .expectError(ConnectionClosedException.class)
                .verify(TIMEOUT);
    }

    /** Regression: a cancelled receive() used to get onComplete or onError when the pipe later closed or reset. */
    @Test
    void cancelledReceiverGetsNoSignalAfterwards() {
        for (boolean reset : new boolean[] {false, true}) {
            Pipe pipe = TrackedPipes.create();
            java.util.List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
            // A bare subscriber: Reactor's lambda subscriber would hide signals that arrive after its cancel.
            pipe.right().receive().subscribe(new org.reactivestreams.Subscriber<ByteBuf>() {
                @Override
                public void onSubscribe(org.reactivestreams.Subscription s) {
                    s.cancel();
                }

                @Override
                public void onNext(ByteBuf b) {
                    signals.add("next");
                    b.release();
                }

                @Override
                public void onError(Throwable t) {
                    signals.add("error");
                }

                @Override
                public void onComplete() {
                    signals.add("complete");
                }
            });
            if (reset) {
                pipe.left().reset();
            } else {
                pipe.left().close();
            }
            pipe.right().close();
            pipe.left().onClose().then(pipe.right().onClose()).block(TIMEOUT);
            assertThat(signals).as(reset ? "after reset" : "after close").isEmpty();
        }
    }
}
