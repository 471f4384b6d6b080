package io.sluice.filters.framing;

import static io.sluice.filters.framing.PipeFixture.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionResetException;
import io.sluice.api.pipe.Chunking;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.RaceTestUtils;
import reactor.test.util.TestLogger;

/** The decoding operator's demand, cancellation, error and memory behaviour, driven through a 1-byte length field. */
class FrameDecoderTest {

    private static final String FRAMES = hex("03 616263" // "abc", ends at byte 4
            + " 00"                                     // empty, ends at byte 5
            + " 01 7a");                                // "z", ends at byte 7
    private static final int[] FRAME_ENDS = {4, 5, 7};

    private static Connection framed(Connection lower) {
        return LengthFieldFraming.builder().lengthFieldBytes(1).build().apply(lower);
    }

    private static int framesWithin(int bytes) {
        int n = 0;
        for (int end : FRAME_ENDS) {
            if (end <= bytes) {
                n++;
            }
        }
        return n;
    }

    @Test
    void emitsFramesOnlyAsRequested() {
        PipeFixture fx = PipeFixture.wholeWrites();
        fx.peerWritesAndShuts(FRAMES);

        StepVerifier.create(framed(fx.lower).receive().map(PipeFixture::hexAndRelease), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ZERO)
                .thenRequest(1)
                .expectNext("616263")
                .expectNoEvent(Duration.ZERO)
                .thenRequest(1)
                .expectNext("")
                .thenRequest(1)
                .expectNext("7a")
                .verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void requestsNothingFromTheLowerConnectionWithoutDemand() {
        PipeFixture fx = PipeFixture.wholeWrites();
        fx.peerWrites(FRAMES);

        StepVerifier.create(framed(fx.recordedLower()).receive(), 0)
                .expectSubscription()
                .then(() -> assertThat(fx.lowerRequests).isEmpty())
                .thenCancel()
                .verify();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void requestsNoMoreReadsWhileItHoldsACompleteFrame() {
        PipeFixture fx = PipeFixture.wholeWrites();
        fx.peerWrites(FRAMES);

        StepVerifier.create(framed(fx.recordedLower()).receive().map(PipeFixture::hexAndRelease), 0)
                .thenRequest(1)
                .expectNext("616263")
                .then(() -> assertThat(fx.lowerRequests).containsExactly(1L))
                .thenRequest(2)
                .expectNext("", "7a")
                .then(() -> assertThat(fx.lowerRequests).containsExactly(1L))
                .thenRequest(1)
                .then(() -> assertThat(fx.lowerRequests).containsExactly(1L, 1L))
                .thenCancel()
                .verify();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void readsOnlyTheBytesTheRequestedFrameNeeds() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWrites(FRAMES);

        StepVerifier.create(framed(fx.recordedLower()).receive().map(PipeFixture::hexAndRelease), 0)
                .thenRequest(1)
                .expectNext("616263")
                .then(() -> assertThat(fx.lowerRequests).hasSize(4))
                .thenCancel()
                .verify();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void deliversFramesStillHeldAfterTheLowerStreamEndsAsTheyAreRequested() {
        PipeFixture fx = PipeFixture.wholeWrites();
        fx.peerWritesAndShuts(FRAMES);

        StepVerifier.create(framed(fx.lower).receive().map(PipeFixture::hexAndRelease), 1)
                .expectNext("616263")
                .expectNoEvent(Duration.ZERO)
                .thenRequest(2)
                .expectNext("", "7a")
                .verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void releasesEverythingWhenCancelledAfterEachFrame() {
        for (int taken = 0; taken <= FRAME_ENDS.length; taken++) {
            PipeFixture fx = PipeFixture.wholeWrites();
            fx.peerWritesAndShuts(FRAMES);

            StepVerifier.create(framed(fx.lower).receive().map(PipeFixture::hexAndRelease), taken)
                    .expectNextCount(taken)
                    .thenCancel()
                    .verify();
            fx.closeAndAssertNothingLeaks();
        }
    }

    @Test
    void releasesThePartialFrameWhenCancelledAfterEachByte() {
        for (int bytes = 0; bytes <= FRAMES.length() / 2; bytes++) {
            PipeFixture fx = new PipeFixture(Chunking.everyByte());
            fx.peerWrites(FRAMES.substring(0, 2 * bytes));

            StepVerifier.create(framed(fx.lower).receive().map(PipeFixture::hexAndRelease))
                    .expectNextCount(framesWithin(bytes))
                    .thenCancel()
                    .verify();
            fx.closeAndAssertNothingLeaks();
        }
    }

    @Test
    void passesOnAResetAfterEachByteAndReleasesEverything() {
        for (int bytes = 0; bytes <= FRAMES.length() / 2; bytes++) {
            PipeFixture fx = new PipeFixture(Chunking.everyByte());
            fx.peerWrites(FRAMES.substring(0, 2 * bytes));

            StepVerifier.create(framed(fx.lower).receive().map(PipeFixture::hexAndRelease))
                    .expectNextCount(framesWithin(bytes))
                    .then(fx.peer::reset)
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(ConnectionResetException.class)
                            .hasMessage("connection pipe-left was reset"))
                    .verify(Duration.ofSeconds(5));
            fx.closeAndAssertNothingLeaks();
        }
    }

    @Test
    void releasesEverythingWhenCancelRacesIncomingData() {
        for (int round = 0; round < 200; round++) {
            PipeFixture fx = new PipeFixture(Chunking.atMost(3));
            List<ByteBuf> received = new CopyOnWriteArrayList<>();
            BaseSubscriber<ByteBuf> subscriber = new BaseSubscriber<>() {
                @Override
                protected void hookOnNext(ByteBuf frame) {
                    received.add(frame);
                }
            };
            framed(fx.lower).receive().subscribe(subscriber);

            RaceTestUtils.race(() -> fx.peerWrites(FRAMES, FRAMES), subscriber::cancel);

            received.forEach(ByteBuf::release);
            fx.closeAndAssertNothingLeaks();
        }
    }

    @Test
    void logsOneWarningNamingTheConnectionOnBadInput() {
        TestLogger log = new TestLogger(false);
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(log);
        try {
            PipeFixture fx = new PipeFixture(Chunking.everyByte());
            fx.peerWrites(hex("00000011 00")); // a 17-byte frame announced against a limit of 16
            Connection upper = LengthFieldFraming.builder().maxFrameLength(16).build().apply(fx.lower);

            StepVerifier.create(upper.receive()).expectError(FrameTooLongException.class).verify(Duration.ofSeconds(5));
            fx.closeAndAssertNothingLeaks();
        } finally {
            LoggerUtils.disableCapture();
        }
        assertThat(log.getOutContent()).isEmpty();
        assertThat(log.getErrContent()).isEqualTo("[ WARN] "
                + "connection pipe-right: closing on bad framing: frame of 17 bytes exceeds the limit of 16\n");
    }

    @Test
    void keepsTheCumulationSmallOverALongStreamOfSplitFrames() {
        // Ten-byte frames written one at a time and read three bytes at a time, so a partial frame is always held.
        PipeFixture fx = new PipeFixture(Chunking.atMost(3));
        List<ByteBuf> writes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            writes.add(fx.peerBuffer("0a 00010203040506070809"));
        }
        fx.peer.send(Flux.fromIterable(writes)).subscribe(null, fx.sendErrors::add);
        AtomicLong peak = new AtomicLong();

        StepVerifier.create(framed(fx.lower).receive()
                        .doOnNext(frame -> peak.accumulateAndGet(fx.lower.budget().outstandingBytes(), Math::max))
                        .map(PipeFixture::hexAndRelease))
                .expectNextCount(1000)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(peak.get()).as("peak bytes held by the lower budget").isLessThan(256);
        fx.closeAndAssertNothingLeaks();
    }
}
