package io.sluice.filters.framing;

import static io.sluice.filters.framing.PipeFixture.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.api.pipe.Chunking;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/** Lines carried inside 2-byte length-prefixed frames: {@code LengthFieldFraming.then(LineFraming)}. */
class FramingCompositionTest {

    private static final Filter LINES_IN_FRAMES = LengthFieldFraming.builder().lengthFieldBytes(2).build()
            .then(LineFraming.defaults());

    @Test
    void decodesLinesThatSpanFrames() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(hex("0003 616263" // "abc"
                + " 0003 0a6465"                   // "\nde"
                + " 0000"                          // empty frame
                + " 0001 0a"));                    // "\n"

        StepVerifier.create(LINES_IN_FRAMES.apply(fx.lower).receive().map(PipeFixture::textAndRelease))
                .expectNext("abc", "de")
                .verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void writesEachLineAsOneFrameHoldingTheLineAndItsNewline() {
        PipeFixture fx = PipeFixture.wholeWrites();
        CompletableFuture<String> raw = fx.peerReceivesAll().toFuture();

        LINES_IN_FRAMES.apply(fx.lower)
                .send(Flux.just(fx.lowerText("hi"), fx.lowerText("")))
                .then(Mono.fromRunnable(fx.lower::shutdownOutput))
                .subscribe(null, fx.sendErrors::add);

        assertThat(raw).isCompletedWithValue(hex("0003 68690a" // "hi\n"
                + " 0001 0a"));                                  // "\n"
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void linesSentThroughTheStackArriveAsLinesAtTheOtherEnd() {
        PipeFixture fx = new PipeFixture(Chunking.atMost(3));
        Connection client = LINES_IN_FRAMES.apply(fx.peer);
        Connection server = LINES_IN_FRAMES.apply(fx.lower);

        client.send(Flux.just(fx.peerBuffer("616c706861"), fx.peerBuffer(""), fx.peerBuffer("62657461")))
                .then(Mono.fromRunnable(client::close))
                .subscribe(null, fx.sendErrors::add);

        StepVerifier.create(server.receive().map(PipeFixture::textAndRelease))
                .expectNext("alpha", "", "beta")
                .verifyComplete();
        assertThat(fx.sendErrors).isEmpty();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void anInnerFramingErrorReachesTheTopAndIsLoggedOnce() {
        TestLogger log = new TestLogger(false);
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(log);
        try {
            PipeFixture fx = PipeFixture.wholeWrites();
            fx.peerWrites(hex("ffff")); // a 65535-byte frame against the inner layer's limit of 16
            Connection upper = LengthFieldFraming.builder().lengthFieldBytes(2).maxFrameLength(16).build()
                    .then(LineFraming.defaults()).apply(fx.lower);

            StepVerifier.create(upper.receive())
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(FrameTooLongException.class)
                            .hasMessage("frame of 65535 bytes exceeds the limit of 16"))
                    .verify(Duration.ofSeconds(5));
            fx.closeAndAssertNothingLeaks();
        } finally {
            LoggerUtils.disableCapture();
        }
        assertThat(log.getErrContent()).isEqualTo("[ WARN] "
                + "connection pipe-right: closing on bad framing: frame of 65535 bytes exceeds the limit of 16\n");
    }
}
