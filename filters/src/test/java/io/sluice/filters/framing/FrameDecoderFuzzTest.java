package io.sluice.filters.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.filters.fuzz.RunSubscriber.Demand;
import io.sluice.filters.framing.FrameRun.Outcome;
import io.sluice.filters.framing.FramingInputs.LengthFieldConfig;
import io.sluice.filters.framing.FramingInputs.LineConfig;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.test.SluiceTest;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of {@link FrameDecoder} with the length-field and line parsers: random bytes, near-miss bytes,
 * mutations of well-formed streams (length fields set to boundary values among them) and well-formed streams, each
 * delivered whole, split at random points (with a transport error after it now and then), and cancelled at random
 * points, with frames sometimes held while more input arrives.
 *
 * <p>The oracle is {@link FramingModel}, the documented framing written out plainly: every run gives exactly its
 * frames and ends with its completion or its framing error (the exact type); a cancelled run gives a prefix of them.
 * The bad-input callback is called once exactly when a framing error ends the run; no signal follows the end; every
 * buffer is released by the end of each run; and no buffer larger than the bytes received so far is ever allocated,
 * whatever a length field announces. Failures name the seed and the input (see {@link Fuzz} to replay one).
 */
class FrameDecoderFuzzTest {

    private static final int SEEDS = 8;

    @Test
    void anyInputFramesByLengthFieldAsTheModelSaysSplitOrWhole() {
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(12); i++) {
                LengthFieldConfig config = FramingInputs.lengthFieldConfig(random);
                byte[] input;
                String what;
                if (random.nextInt(3) == 0) {
                    input = Mutations.randomBytes(random, 600);
                    what = "random bytes";
                } else {
                    Mutations.Mutant mutant = Mutations.mutate(random,
                            FramingInputs.lengthFieldStream(config, random).bytes());
                    input = mutant.bytes();
                    what = "a stream, mutated: " + mutant.how();
                }
                FramingModel.Expected expected = FramingModel.lengthField(input, config.fieldBytes(), config.max());
                fuzz(config::parser, input, expected, true, random,
                        Fuzz.describe(seed, i, config + ", " + what, input));
            }
        }
    }

    @Test
    void wellFormedLengthFieldStreamsSplitAnywhereGiveBackEveryFrame() {
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(5); i++) {
                LengthFieldConfig config = FramingInputs.lengthFieldConfig(random);
                FramingInputs.Valid valid = FramingInputs.lengthFieldStream(config, random);
                fuzz(config::parser, valid.bytes(), new FramingModel.Expected(valid.frames(), null), true, random,
                        Fuzz.describe(seed, i, config + ", " + valid.frames().size() + " frames", valid.bytes()));
            }
        }
    }

    @Test
    void anyInputFramesIntoLinesAsTheModelSaysSplitOrWhole() {
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(12); i++) {
                LineConfig config = FramingInputs.lineConfig(random);
                byte[] input;
                String what;
                int kind = random.nextInt(3);
                if (kind == 0) {
                    input = Mutations.randomBytes(random, 400);
                    what = "random bytes";
                } else if (kind == 1) {
                    input = FramingInputs.nearMisses(config, random, 400);
                    what = "near-miss bytes";
                } else {
                    byte[] lines = FramingInputs.lineStream(config, random).bytes();
                    Mutations.Mutant mutant = Mutations.mutate(random, lines);
                    input = mutant.bytes();
                    what = "lines, mutated: " + mutant.how();
                }
                FramingModel.Expected expected = FramingModel.lines(input, config.delimiterBytes(),
                        config.newlineMode(), config.max());
                fuzz(config::parser, input, expected, false, random,
                        Fuzz.describe(seed, i, config + ", " + what, input));
            }
        }
    }

    @Test
    void wellFormedLinesSplitAnywhereGiveBackEveryLine() {
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(5); i++) {
                LineConfig config = FramingInputs.lineConfig(random);
                FramingInputs.Valid valid = FramingInputs.lineStream(config, random);
                fuzz(config::parser, valid.bytes(), new FramingModel.Expected(valid.frames(), null), false, random,
                        Fuzz.describe(seed, i, config + ", " + valid.frames().size() + " lines", valid.bytes()));
            }
        }
    }

    /**
     * A 4-byte length field at its largest value under the largest limit, then bytes that never complete the frame:
     * the decoder holds only what arrived and ends with a truncated frame; past the limit, the frame is refused at
     * once.
     */
    @Test
    void aLengthFieldAtItsLargestValueIsNeverAllocated() {
        LengthFieldConfig config = new LengthFieldConfig(4, Integer.MAX_VALUE);
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(1); i++) {
                boolean beyond = random.nextBoolean();
                byte[] header = beyond ? new byte[] {(byte) 0x80, 0, 0, 0} : new byte[] {0x7F, -1, -1, -1};
                byte[] input = FramingInputs.concat(header, Mutations.randomBytes(random, 2048));
                FramingModel.Expected expected = FramingModel.lengthField(input, 4, Integer.MAX_VALUE);
                assertThat(expected.error()).isEqualTo(beyond ? FrameTooLongException.class
                        : TruncatedFrameException.class);
                fuzz(config::parser, input, expected, true, random,
                        Fuzz.describe(seed, i, config + ", a frame announcing " + (beyond ? "2^31" : "2^31-1")
                                + " bytes", input));
            }
        }
    }

    /**
     * Frames {@code input} whole, then split at random with a random demand (and a transport error after it, now
     * and then), then split and cancelled after a few frames (now and then); each run must match {@code expected}.
     */
    private static void fuzz(Supplier<FrameParser> parsers, byte[] input, FramingModel.Expected expected,
            boolean lengthField, SplittableRandom random, String what) {
        Outcome whole = FrameRun.run(parsers.get(), List.of(input), null, Demand.UNBOUNDED, 0, random);
        assertMatches(whole, expected, null, lengthField, input.length, what + ", whole");

        List<byte[]> pieces = Mutations.split(random, input, 1 + random.nextInt(random.nextInt(4) == 0 ? 8 : 256));
        Demand demand = random.nextBoolean() ? Demand.UNBOUNDED : Demand.ONE_BY_ONE;
        Throwable reset = random.nextInt(8) == 0 ? new IOException("connection reset (injected)") : null;
        Outcome split = FrameRun.run(parsers.get(), pieces, reset, demand, 0, random);
        assertMatches(split, expected, reset, lengthField, input.length, what + ", in " + pieces.size()
                + " pieces, demand " + demand + (reset != null ? ", then a reset" : ""));

        if (random.nextInt(4) == 0) {
            int cancelAfter = random.nextInt(4);
            Outcome cancelled = FrameRun.run(parsers.get(), pieces, null, Demand.CANCEL, cancelAfter, random);
            assertMatches(cancelled, expected, null, lengthField, input.length, what + ", in " + pieces.size()
                    + " pieces, cancelled after " + cancelAfter + " frames");
        }
    }

    private static void assertMatches(Outcome o, FramingModel.Expected expected, Throwable reset,
            boolean lengthField, int inputLength, String what) {
        assertThat(o.breach()).as("operator rule broken by " + what).isNull();
        assertThat(SluiceTest.allocator().outstanding()).as("buffers not released after " + what).isEmpty();
        assertThat(o.largestAllocation()).as("largest buffer allocated for " + what).isLessThanOrEqualTo(inputLength);
        assertThat(o.badInputCalls()).as("bad-input callbacks for " + what + " (" + o + ")")
                .isEqualTo(o.error() instanceof FramingException ? 1 : 0);
        List<String> got = hex(o.frames());
        List<String> wanted = hex(expected.frames());
        boolean partial = o.cancelled() || reset != null && !lengthField;
        if (partial) {
            assertThat(got.size()).as("frames of " + what + ": " + o).isLessThanOrEqualTo(wanted.size());
            assertThat(got).as("frames of " + what + ": " + o).isEqualTo(wanted.subList(0, got.size()));
            if (reset != null) {
                assertThat(got.size()).as("frames of " + what + ": " + o).isGreaterThanOrEqualTo(wanted.size() - 1);
            }
        } else {
            assertThat(got).as("frames of " + what + ": " + o + ", expected " + expected).isEqualTo(wanted);
        }
        if (o.cancelled()) {
            return;
        }
        if (reset != null) {
            boolean tooLongFirst = expected.error() == FrameTooLongException.class;
            if (tooLongFirst && lengthField) {
                assertThat(o.error()).as("end of " + what).isExactlyInstanceOf(FrameTooLongException.class);
            } else if (tooLongFirst && o.error() instanceof FrameTooLongException) {
                return; // a line found too long before the input's end
            } else {
                assertThat(o.error()).as("end of " + what).isSameAs(reset);
            }
            return;
        }
        if (expected.error() == null) {
            if (!o.completed()) {
                throw new AssertionError("did not complete: " + what + ": " + o, o.error());
            }
        } else if (!expected.error().isInstance(o.error()) || o.error().getClass() != expected.error()) {
            AssertionError e = new AssertionError("expected " + expected + ", got " + o + ": " + what);
            if (o.error() != null) {
                e.initCause(o.error());
            }
            throw e;
        }
    }

    private static List<String> hex(List<byte[]> frames) {
        return frames.stream().map(f -> HexFormat.of().formatHex(f)).toList();
    }
}
