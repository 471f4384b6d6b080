package io.sluice.filters.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBufUtil;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class LineFramingTest {

    private static String text(String s) {
        return ByteBufUtil.hexDump(s.getBytes(StandardCharsets.UTF_8));
    }

    /** CSV sources spell control characters as {@code \\n} and {@code \\r}. */
    private static String unescape(String csv) {
        return csv.replace("\\n", "\n").replace("\\r", "\r");
    }

    private static Flux<String> lines(Connection upper) {
        return upper.receive().map(PipeFixture::textAndRelease);
    }

    @Test
    void splitsOnNewlineAndStripsACarriageReturnBeforeIt() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(text("alpha\r\nbeta\n"));

        StepVerifier.create(lines(LineFraming.defaults().apply(fx.lower))).expectNext("alpha", "beta").verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void emitsEmptyLines() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(text("\n\r\n\n"));

        StepVerifier.create(lines(LineFraming.defaults().apply(fx.lower))).expectNext("", "", "").verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void decodesTheSameLinesWhateverTheSplitPoint() {
        String input = text("ab\r\n\ncd\n");
        for (int i = 0; i <= input.length(); i += 2) {
            PipeFixture fx = PipeFixture.wholeWrites();
            fx.peerWritesAndShuts(input.substring(0, i), input.substring(i));

            StepVerifier.create(lines(LineFraming.defaults().apply(fx.lower)))
                    .as("split at byte " + i / 2)
                    .expectNext("ab", "", "cd")
                    .verifyComplete();
            fx.closeAndAssertNothingLeaks();
        }
    }

    @Test
    void splitsOnAConfiguredDelimiterOnlyWhenItIsWhole() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(text("a||b|c||||"));
        Connection upper = LineFraming.builder().delimiter("||").build().apply(fx.lower);

        StepVerifier.create(lines(upper)).expectNext("a", "b|c", "").verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void emitsAnUnterminatedLastLineWhenThePeerCloses() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(text("one\ntwo"));

        StepVerifier.create(lines(LineFraming.defaults().apply(fx.lower))).expectNext("one", "two").verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void acceptsALineOfExactlyTheLimitEndedByCarriageReturnNewline() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(text("abcd\r\n"));
        Connection upper = LineFraming.builder().maxLineLength(4).build().apply(fx.lower);

        StepVerifier.create(lines(upper)).expectNext("abcd").verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abcde",      // no delimiter yet: refused as soon as the fifth byte is seen
        "abcde\\n",   // found with its delimiter
        "abcd\\r",    // unterminated last line: the \r is content
    })
    void failsReceiveClosesLowerAndReleasesOnAnOverlongLine(String input) {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(text(unescape(input)));
        Connection upper = LineFraming.builder().maxLineLength(4).build().apply(fx.lower);

        StepVerifier.create(upper.receive())
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(FrameTooLongException.class)
                        .hasMessage("line exceeds the limit of 4 bytes"))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(fx.lower.onClose()).expectComplete().verify(Duration.ofSeconds(5));
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesAnOverlongLineBeforeThePeerFinishesIt() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWrites(text("abcdef")); // the peer never sends a newline
        Connection upper = LineFraming.builder().maxLineLength(4).build().apply(fx.lower);

        StepVerifier.create(upper.receive())
                .expectErrorMessage("line exceeds the limit of 4 bytes")
                .verify(Duration.ofSeconds(5));
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void appendsTheDelimiterToEachOutboundLine() {
        PipeFixture fx = PipeFixture.wholeWrites();
        CompletableFuture<String> raw = fx.peerReceivesAll().toFuture();

        LineFraming.defaults().apply(fx.lower)
                .send(Flux.just(fx.lowerText("alpha"), fx.lowerText(""), fx.lowerText("beta")))
                .then(Mono.fromRunnable(fx.lower::shutdownOutput))
                .subscribe(null, fx.sendErrors::add);

        assertThat(raw).isCompletedWithValue(text("alpha\n\nbeta\n"));
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void appendsAConfiguredDelimiter() {
        PipeFixture fx = PipeFixture.wholeWrites();
        CompletableFuture<String> raw = fx.peerReceivesAll().toFuture();

        LineFraming.builder().delimiter("\r\n").build().apply(fx.lower)
                .send(Flux.just(fx.lowerText("a\nb")))
                .then(Mono.fromRunnable(fx.lower::shutdownOutput))
                .subscribe(null, fx.sendErrors::add);

        assertThat(raw).isCompletedWithValue(text("a\nb\r\n"));
        fx.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abcdefghi | line of 9 bytes exceeds the limit of 8",
        "ab\\ncd    | line contains the delimiter at index 2",
        "abc\\r     | line ends with \\r, which the peer would strip",
    })
    void rejectsAnOutboundLineThePeerWouldNotReceiveIntactAndReleasesIt(String line, String message) {
        PipeFixture fx = PipeFixture.wholeWrites();
        Connection upper = LineFraming.builder().maxLineLength(8).build().apply(fx.lower);
        fx.peerReceivesAll().subscribe();

        StepVerifier.create(upper.send(Flux.just(fx.lowerText(unescape(line)))))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage(message))
                .verify(Duration.ofSeconds(5));
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void defaultLimitIsEightKibibytes() {
        assertThat(LineFraming.defaults().maxLineLength()).isEqualTo(8192);
    }

    @Test
    void refusesAnEmptyDelimiter() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LineFraming.builder().delimiter("").build())
                .withMessage("delimiter must not be empty");
    }

    @Test
    void refusesANegativeLimit() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LineFraming.builder().maxLineLength(-1).build())
                .withMessage("max line length must be >= 0, got -1");
    }
}
