package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.operator.DrainingOperator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * The shared part of the filters' operators, through the smallest operator built on it: one that doubles each
 * number, keeping what arrived until the subscriber asks for it.
 */
class DrainingOperatorTest {

    /** Emits each source number twice, only on demand, requesting one number at a time. */
    static final class Doubling extends DrainingOperator<Integer, Integer> {
        private final Queue<Integer> held = new ArrayDeque<>();
        private final AtomicInteger cancels;
        private boolean awaiting;
        private boolean ended;

        Doubling(CoreSubscriber<? super Integer> actual, AtomicInteger cancels) {
            super(actual);
            this.cancels = cancels;
        }

        static Flux<Integer> of(Publisher<Integer> source, AtomicInteger cancels) {
            return new Flux<>() {
                @Override
                public void subscribe(CoreSubscriber<? super Integer> actual) {
                    source.subscribe(new Doubling(actual, cancels));
                }
            };
        }

        @Override
        public void onNext(Integer n) {
            held.add(n);
            held.add(n);
            drain();
        }

        @Override
        protected void onCancel() {
            cancels.incrementAndGet();
        }

        @Override
        protected void drainLoop() {
            long emitted = 0;
            long r = requested();
            while (!ended) {
                if (isCancelled()) {
                    held.clear();
                    ended = true;
                    break;
                }
                if (!held.isEmpty()) {
                    if (emitted == r) {
                        break;
                    }
                    actual.onNext(held.poll());
                    emitted++;
                    if (held.isEmpty()) {
                        awaiting = false;
                    }
                    continue;
                }
                if (isDone()) {
                    ended = true;
                    Throwable e = sourceError();
                    if (e != null) {
                        actual.onError(e);
                    } else {
                        actual.onComplete();
                    }
                    break;
                }
                if (emitted != r && !awaiting) {
                    awaiting = true;
                    upstream().request(1);
                    continue;
                }
                break;
            }
            produced(emitted);
        }
    }

    @Test
    void emitsOnlyWhatIsRequestedAndAsksTheSourceOnlyWhenItHasNothingLeft() {
        TestPublisher<Integer> source = TestPublisher.create();
        AtomicInteger cancels = new AtomicInteger();

        StepVerifier.create(Doubling.of(source, cancels), 0)
                .then(() -> assertThat(source.wasRequested()).isFalse())
                .thenRequest(1)
                .then(() -> source.assertMinRequested(1).next(7))
                .expectNext(7)
                .thenRequest(1)
                .expectNext(7)
                .thenRequest(3)
                .then(() -> source.next(8).complete())
                .expectNext(8, 8)
                .verifyComplete();
        assertThat(cancels).hasValue(0);
    }

    @Test
    void anEndWhileItemsAreHeldWaitsForThemToBeRequested() {
        TestPublisher<Integer> source = TestPublisher.createNoncompliant(TestPublisher.Violation.REQUEST_OVERFLOW);

        StepVerifier.create(Doubling.of(source, new AtomicInteger()), 1)
                .then(() -> source.next(1).error(new IllegalStateException("boom")))
                .expectNext(1)
                .expectNoEvent(Duration.ofMillis(20))
                .thenRequest(1)
                .expectNext(1)
                .verifyErrorMessage("boom");
    }

    @Test
    void cancellingCancelsTheSourceOnceAndLetsTheOperatorReleaseWhatItHolds() {
        TestPublisher<Integer> source = TestPublisher.create();
        AtomicInteger cancels = new AtomicInteger();
        Doubling[] operator = new Doubling[1];
        Flux<Integer> doubled = new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super Integer> actual) {
                operator[0] = new Doubling(actual, cancels);
                source.subscribe(operator[0]);
            }
        };

        StepVerifier.create(doubled, 1)
                .then(() -> source.next(5))
                .expectNext(5)
                .thenCancel()
                .verify(Duration.ofSeconds(5));

        source.assertCancelled();
        assertThat(cancels).hasValue(1);
        operator[0].cancel();
        assertThat(cancels).as("a second cancel does nothing").hasValue(1);
        assertThat(operator[0].held).as("the held copy was dropped by the drain after the cancel").isEmpty();
        assertThat(operator[0].scan(Scannable.Attr.CANCELLED)).isTrue();
    }

    @Test
    void aSecondEndOfTheSourceIsDropped() {
        TestPublisher<Integer> source = TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);

        StepVerifier.create(Doubling.of(source, new AtomicInteger()))
                .then(() -> source.complete().error(new IllegalStateException("late")))
                .expectComplete()
                .verifyThenAssertThat()
                .hasDroppedErrorWithMessage("late");
    }
}
