package io.sluice.filters.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.api.pipe.Pipe;
import io.sluice.filters.framing.FramingInputs.LengthFieldConfig;
import io.sluice.filters.framing.FramingInputs.LineConfig;
import io.sluice.filters.fuzz.Leaks;
import io.sluice.filters.fuzz.WarnLines;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.test.RandomChunking;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The framing filters' {@code receive()} fed by a peer over an in-memory pipe, reads split at random: fewer inputs
 * than {@link FrameDecoderFuzzTest}, through everything a connection adds. Each input (random, mutated or
 * well-formed) gives exactly the frames {@link FramingModel} says, then completion, or its framing error after the
 * filter has closed the lower connection and logged exactly one WARN line naming the connection and the error.
 * Nothing leaks, per input.
 */
class FramingFilterFuzzTest {

    private static final int SEEDS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void lengthFieldFramingGivesTheModelsFramesOrClosesWithOneWarning() {
        try (WarnLines warnings = WarnLines.capture()) {
            for (long seed : Fuzz.seeds(SEEDS)) {
                SplittableRandom random = Fuzz.random(seed);
                for (int i = 0; i < Fuzz.iterations(6); i++) {
                    LengthFieldConfig config = FramingInputs.lengthFieldConfig(random);
                    byte[] valid = FramingInputs.lengthFieldStream(config, random).bytes();
                    byte[] input = random.nextBoolean() ? valid : Mutations.mutate(random, valid).bytes();
                    FramingModel.Expected expected = FramingModel.lengthField(input, config.fieldBytes(),
                            config.max());
                    Filter filter = LengthFieldFraming.builder().lengthFieldBytes(config.fieldBytes())
                            .maxFrameLength(config.max()).build();
                    overAPipe(filter, input, expected, random, warnings, Fuzz.describe(seed, i, config.toString(),
                            input));
                }
            }
        }
    }

    @Test
    void lineFramingGivesTheModelsLinesOrClosesWithOneWarning() {
        try (WarnLines warnings = WarnLines.capture()) {
            for (long seed : Fuzz.seeds(SEEDS)) {
                SplittableRandom random = Fuzz.random(seed);
                for (int i = 0; i < Fuzz.iterations(6); i++) {
                    LineConfig config = FramingInputs.lineConfig(random);
                    byte[] input = switch (random.nextInt(3)) {
                        case 0 -> FramingInputs.nearMisses(config, random, 300);
                        case 1 -> Mutations.mutate(random, FramingInputs.lineStream(config, random).bytes()).bytes();
                        default -> FramingInputs.lineStream(config, random).bytes();
                    };
                    FramingModel.Expected expected = FramingModel.lines(input, config.delimiterBytes(),
                            config.newlineMode(), config.max());
                    overAPipe(config.filter(), input, expected, random, warnings,
                            Fuzz.describe(seed, i, config.toString(), input));
                }
            }
        }
    }

    private static void overAPipe(Filter filter, byte[] input, FramingModel.Expected expected,
            SplittableRandom random, WarnLines warnings, String what) {
        int maxRead = 1 + random.nextInt(random.nextInt(4) == 0 ? 8 : 512);
        Pipe pipe = TrackedPipes.create(RandomChunking.seeded(random.nextLong(), maxRead));
        Connection upper = filter.apply(pipe.right());
        List<String> frames = new ArrayList<>();
        Mono<Void> received = upper.receive().doOnNext(frame -> {
            try {
                byte[] bytes = new byte[frame.readableBytes()];
                frame.getBytes(frame.readerIndex(), bytes);
                frames.add(HexFormat.of().formatHex(bytes));
            } finally {
                frame.release();
            }
        }).then().cache();
        received.subscribe(null, e -> { });
        ByteBuf wire = pipe.left().budget().allocator().buffer(Math.max(1, input.length)).writeBytes(input);
        pipe.left().send(Mono.just(wire)).onErrorResume(e -> Mono.empty())
                .then(Mono.fromRunnable(pipe.left()::shutdownOutput)).subscribe();
        Throwable error = null;
        try {
            received.block(TIMEOUT);
        } catch (RuntimeException e) {
            error = reactor.core.Exceptions.unwrap(e);
        }
        String described = what + ", reads of at most " + maxRead;
        assertThat(frames).as("frames of " + described + ", expected " + expected)
                .isEqualTo(expected.frames().stream().map(f -> HexFormat.of().formatHex(f)).toList());
        if (expected.error() == null) {
            if (error != null) {
                throw new AssertionError("failed over a pipe, expected " + expected + ": " + described, error);
            }
            closeAndAwait(pipe);
            assertThat(warnings.take()).as("WARN lines for " + described).isEmpty();
        } else {
            assertThat(error).as("end of " + described).isExactlyInstanceOf(expected.error());
            pipe.right().onClose().block(TIMEOUT); // the filter closes the lower connection on bad input
            closeAndAwait(pipe);
            assertThat(warnings.take()).as("WARN lines for " + described)
                    .containsExactly("connection pipe-right: closing on bad framing: " + error.getMessage());
        }
        Leaks.assertNone(described);
    }

    private static void closeAndAwait(Pipe pipe) {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }
}
