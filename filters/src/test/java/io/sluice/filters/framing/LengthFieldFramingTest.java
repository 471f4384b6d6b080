package io.sluice.filters.framing;

import static io.sluice.filters.framing.PipeFixture.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class LengthFieldFramingTest {

    /** The same three frames, "abc", empty and "z", for each field width. */
    private static String threeFrames(int width) {
        return switch (width) {
            case 1 -> hex("03 616263" // "abc"
                    + " 00"           // empty frame
                    + " 01 7a");      // "z"
            case 2 -> hex("0003 616263 0000 0001 7a");
            default -> hex("00000003 616263 00000000 00000001 7a");
        };
    }

    private static Connection upper(PipeFixture fx, int width) {
        return LengthFieldFraming.builder().lengthFieldBytes(width).build().apply(fx.lower);
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "4"})
    void decodesFramesDeliveredOneByteAtATime(int width) {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(threeFrames(width));

        StepVerifier.create(upper(fx, width).receive().map(PipeFixture::hexAndRelease))
                .expectNext("616263", "", "7a")
                .verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "4"})
    void decodesTheSameFramesWhateverTheSplitPoint(int width) {
        String input = threeFrames(width);
        for (int i = 0; i <= input.length(); i += 2) {
            PipeFixture fx = PipeFixture.wholeWrites();
            fx.peerWritesAndShuts(input.substring(0, i), input.substring(i));

            StepVerifier.create(upper(fx, width).receive().map(PipeFixture::hexAndRelease))
                    .as("split at byte " + i / 2)
                    .expectNext("616263", "", "7a")
                    .verifyComplete();
            fx.closeAndAssertNothingLeaks();
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "4"})
    void framesSentByOneFramedEndArriveWholeAtTheOther(int width) {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        LengthFieldFraming framing = LengthFieldFraming.builder().lengthFieldBytes(width).build();
        Connection client = framing.apply(fx.peer);
        Connection server = framing.apply(fx.lower);

        client.send(Flux.just(fx.peerBuffer("616263"), fx.peerBuffer(""), fx.peerBuffer("7a")))
                .then(Mono.fromRunnable(fx.peer::shutdownOutput))
                .subscribe(null, fx.sendErrors::add);

        StepVerifier.create(server.receive().map(PipeFixture::hexAndRelease))
                .expectNext("616263", "", "7a")
                .verifyComplete();
        assertThat(fx.sendErrors).isEmpty();
        fx.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "4"})
    void writesHeaderThenPayloadForEachOutboundBuffer(int width) {
        PipeFixture fx = PipeFixture.wholeWrites();
        Connection upper = upper(fx, width);

        upper.send(Flux.just(fx.lowerBuffer("616263"), fx.lowerBuffer(""), fx.lowerBuffer("7a")))
                .then(Mono.fromRunnable(fx.lower::shutdownOutput))
                .subscribe(null, fx.sendErrors::add);

        StepVerifier.create(fx.peerReceivesAll()).expectNext(threeFrames(width)).verifyComplete();
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void rejectsAnOutboundBufferLongerThanTheLimitAndReleasesIt() {
        PipeFixture fx = PipeFixture.wholeWrites();
        Connection upper = LengthFieldFraming.builder().lengthFieldBytes(1).maxFrameLength(2).build()
                .apply(fx.lower);
        // Subscribed first: the pipe moves bytes only while the receiving side has demand.
        java.util.concurrent.CompletableFuture<String> raw = fx.peerReceivesAll().toFuture();

        StepVerifier.create(upper.send(Flux.just(fx.lowerBuffer("6162"), fx.lowerBuffer("616263"))))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("frame of 3 bytes exceeds the limit of 2"))
                .verify(Duration.ofSeconds(5));
        fx.lower.shutdownOutput();

        assertThat(raw).isCompletedWithValue(hex("02 6162"));
        fx.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest
    @CsvSource({
        "1, 2,  03 616263,  frame of 3 bytes exceeds the limit of 2",
        "2, 16, 0011,       frame of 17 bytes exceeds the limit of 16",
        "4, 16, 00000011,   frame of 17 bytes exceeds the limit of 16",
    })
    void failsReceiveClosesLowerAndReleasesOnAnOversizedFrame(int width, int max, String input, String message) {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        // The peer keeps writing after the header: the frame must be refused before its payload arrives.
        fx.peerWrites(input + "6162636465");
        Connection upper = LengthFieldFraming.builder().lengthFieldBytes(width).maxFrameLength(max).build()
                .apply(fx.lower);

        StepVerifier.create(upper.receive())
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(FrameTooLongException.class)
                        .hasMessage(message))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(fx.lower.onClose()).expectComplete().verify(Duration.ofSeconds(5));
        fx.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest
    @CsvSource({
        "ffffffff, frame of 4294967295 bytes exceeds the limit of 1048576",
        "80000000, frame of 2147483648 bytes exceeds the limit of 1048576",
        "00100001, frame of 1048577 bytes exceeds the limit of 1048576",
    })
    void rejectsFourByteLengthsAboveTheDefaultLimitOrIntRange(String header, String message) {
        PipeFixture fx = PipeFixture.wholeWrites();
        fx.peerWrites(header);

        StepVerifier.create(LengthFieldFraming.defaults().apply(fx.lower).receive())
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(FrameTooLongException.class)
                        .hasMessage(message))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(fx.lower.onClose()).expectComplete().verify(Duration.ofSeconds(5));
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void failsReceiveWhenTheStreamEndsInsideAFrame() {
        PipeFixture fx = new PipeFixture(Chunking.everyByte());
        fx.peerWritesAndShuts(hex("01 7a" // "z"
                + " 03 6162"));              // "ab" of a 3-byte frame, then end of stream

        StepVerifier.create(upper(fx, 1).receive().map(PipeFixture::hexAndRelease))
                .expectNext("7a")
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(TruncatedFrameException.class)
                        .hasMessage("stream ended inside a frame with 3 bytes unread"))
                .verify(Duration.ofSeconds(5));
        fx.closeAndAssertNothingLeaks();
    }

    @Test
    void defaultLimitIsOneMebibyteOrWhatTheFieldHolds() {
        assertThat(LengthFieldFraming.defaults().maxFrameLength()).isEqualTo(1024 * 1024);
        assertThat(LengthFieldFraming.defaults().lengthFieldBytes()).isEqualTo(4);
        assertThat(LengthFieldFraming.builder().lengthFieldBytes(1).build().maxFrameLength()).isEqualTo(255);
        assertThat(LengthFieldFraming.builder().lengthFieldBytes(2).build().maxFrameLength()).isEqualTo(65535);
    }

    @Test
    void refusesAFieldWidthOtherThanOneTwoOrFour() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LengthFieldFraming.builder().lengthFieldBytes(3).build())
                .withMessage("length field must be 1, 2 or 4 bytes, got 3");
    }

    @Test
    void refusesALimitTheFieldCannotExpress() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LengthFieldFraming.builder().lengthFieldBytes(1).maxFrameLength(256).build())
                .withMessage("max frame length 256 does not fit a 1-byte length field (at most 255)");
    }

    @Test
    void refusesANegativeLimit() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LengthFieldFraming.builder().maxFrameLength(-1).build())
                .withMessage("max frame length must be >= 0, got -1");
    }
}
