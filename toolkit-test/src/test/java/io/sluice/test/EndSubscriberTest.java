package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.operator.EndSubscriber;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.publisher.TestPublisher;

class EndSubscriberTest {

    private static final class Recording extends EndSubscriber {
        final List<String> heard = new ArrayList<>();

        @Override
        protected void ended(Throwable error) {
            heard.add(error == null ? "completed" : "failed: " + error.getMessage());
        }
    }

    @Test
    void hearsACompletionOnceAndRequestsEverything() {
        TestPublisher<Void> source = TestPublisher.create();
        Recording end = new Recording();
        source.mono().subscribe(end);
        source.assertMinRequested(Long.MAX_VALUE);
        source.complete();
        assertThat(end.heard).containsExactly("completed");
        assertThat(end.hasEnded()).isTrue();
    }

    @Test
    void hearsAnError() {
        Recording end = new Recording();
        Sinks.Empty<Void> source = Sinks.empty();
        source.asMono().subscribe(end);
        source.tryEmitError(new IllegalStateException("boom"));
        assertThat(end.heard).containsExactly("failed: boom");
    }

    @Test
    void aCancelledSubscriberHearsNothingAndCancelsItsSource() {
        TestPublisher<Void> source = TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
        Recording end = new Recording();
        source.mono().subscribe(end);
        end.cancel();
        source.assertCancelled();
        source.complete(); // a late signal
        assertThat(end.heard).isEmpty();
        assertThat(end.hasEnded()).isTrue();
    }

    @Test
    void cancelledBeforeItsSubscriptionArrivesItCancelsThatSubscription() {
        TestPublisher<Void> source = TestPublisher.create();
        Recording end = new Recording();
        end.cancel();
        source.mono().subscribe(end);
        source.assertCancelled();
        assertThat(end.heard).isEmpty();
    }

    @Test
    void cancellingAfterTheEndChangesNothing() {
        Recording end = new Recording();
        Sinks.Empty<Void> source = Sinks.empty();
        source.asMono().subscribe(end);
        source.tryEmitEmpty();
        end.cancel();
        assertThat(end.heard).containsExactly("completed");
    }

    @Test
    void aBufferDroppedUpstreamIsReleasedThroughItsContext() {
        ByteBuf dropped = SluiceTest.allocator().buffer(8).writeLong(1);
        Recording end = new Recording();
        Flux.just(dropped).filter(b -> false).then().subscribe(end); // filter hands what it drops to the hook
        assertThat(dropped.refCnt()).isZero();
        assertThat(end.heard).containsExactly("completed");
    }

    @Test
    void callingTellsTheListener() {
        List<Throwable> heard = new ArrayList<>();
        Sinks.Empty<Void> source = Sinks.empty();
        source.asMono().subscribe(EndSubscriber.calling(heard::add));
        IllegalStateException boom = new IllegalStateException("boom");
        source.tryEmitError(boom);
        assertThat(heard).containsExactly(boom);
    }
}
