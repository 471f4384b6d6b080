package io.sluice.filters.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The pacing operator against sources that break the rules: what they emit is never lost nor leaked. */
class PacedFluxTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    private static ByteBuf buffer(int size) {
        return SluiceTest.allocator().buffer(size).writeZero(size);
    }

    @Test
    void releasesABufferTheSourceEmitsAfterTheCancel() {
        DeafSource source = new DeafSource();
        PacedFlux paced = new PacedFlux(Flux.from(source), new TokenBucket(1000, 100), time);
        ByteBuf late = buffer(10);

        StepVerifier.create(paced, 1)
                .then(() -> source.subscriber.onNext(buffer(10)))
                .consumeNextWith(ByteBuf::release)
                .thenCancel()
                .verify(TIMEOUT);
        source.subscriber.onNext(late); // a source may still emit what was in flight when the cancel came

        assertThat(late.refCnt()).as("a buffer emitted after the cancel").isZero();
    }

    /** A source that never stops on its own: the test drives its subscriber directly. */
    private static final class DeafSource implements Publisher<ByteBuf> {
        Subscriber<? super ByteBuf> subscriber;

        @Override
        public void subscribe(Subscriber<? super ByteBuf> s) {
            subscriber = s;
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
        }
    }

    @Test
    void holdsABufferEmittedUnaskedUntilThereIsDemandThenPassesItOn() {
        TestPublisher<ByteBuf> source = TestPublisher.createNoncompliant(TestPublisher.Violation.REQUEST_OVERFLOW);
        PacedFlux paced = new PacedFlux(source.flux(), new TokenBucket(1000, 100), time);

        StepVerifier.create(paced, 0)
                .then(() -> source.next(buffer(10)))
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .consumeNextWith(ByteBuf::release)
                .then(source::complete)
                .verifyComplete();
    }

    @Test
    void releasesABufferHeldUnaskedWhenTheSubscriberCancels() {
        TestPublisher<ByteBuf> source = TestPublisher.createNoncompliant(TestPublisher.Violation.REQUEST_OVERFLOW);
        PacedFlux paced = new PacedFlux(source.flux(), new TokenBucket(1000, 100), time);
        ByteBuf unasked = buffer(10);

        StepVerifier.create(paced, 0)
                .then(() -> source.next(unasked))
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(unasked.refCnt()).isZero();
    }

    @Test
    void asksAgainOnlyOnceTheWaitIsOver() {
        TestPublisher<ByteBuf> source = TestPublisher.create();
        PacedFlux paced = new PacedFlux(source.flux(), new TokenBucket(1000, 100), time);

        StepVerifier.create(paced)
                .then(() -> source.assertMinRequested(1).next(buffer(600))) // 0.6 s of the rate, less the burst
                .consumeNextWith(ByteBuf::release)
                .then(() -> source.assertMinRequested(0).assertMaxRequested(0))
                .then(() -> time.advanceTimeBy(Duration.ofMillis(499)))
                .then(() -> source.assertMaxRequested(0))
                .then(() -> time.advanceTimeBy(Duration.ofMillis(1)))
                .then(() -> source.assertMinRequested(1).complete())
                .verifyComplete();
    }
}
