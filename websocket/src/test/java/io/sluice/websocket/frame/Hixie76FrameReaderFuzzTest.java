package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.websocket.FuzzAllocators;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the Hixie-76 frame reader under a small, the default and an unlimited message size: valid
 * streams (text frames, frames of other types to skip, by length or to the sentinel, the closing handshake) must
 * yield exactly their text frames and close however they are split; mutated streams and random bytes must yield
 * frames and then wait, close, or fail with 1009, the same way whole and split. The reader hands text out as it
 * arrives and skips the rest, so it holds nothing while waiting. A failure names the seed and the input.
 */
class Hixie76FrameReaderFuzzTest {

    private static final int ITERATIONS = Fuzz.iterations(80);
    private static final long[] LIMITS = {16, 1 << 20, Long.MAX_VALUE};

    @Test
    void aValidStreamYieldsItsTextFramesAndCloseHoweverItIsSplit() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                long limit = LIMITS[i % LIMITS.length];
                HixieStreams.Stream stream = HixieStreams.randomStream(r, limit);
                checkCase(seed, i, limit, stream.bytes(), r, outcome -> {
                    assertThat(outcome.frames()).isEqualTo(stream.frames());
                    assertThat(outcome.end()).isEqualTo(stream.closes() ? "closed" : "needs more");
                });
            }
        }
    }

    @Test
    void aMutatedStreamYieldsFramesThenWaitsClosesOrFailsWith1009() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                long limit = LIMITS[i % LIMITS.length];
                byte[] input = Mutations.mutate(r, HixieStreams.randomStream(r, limit).bytes()).bytes();
                checkCase(seed, i, limit, input, r, outcome -> { });
            }
        }
    }

    @Test
    void randomBytesYieldFramesThenWaitCloseOrFailWith1009() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                long limit = LIMITS[i % LIMITS.length];
                byte[] input = r.nextBoolean() ? Mutations.randomBytes(r, 64) : Mutations.interestingBytes(r, 64);
                checkCase(seed, i, limit, input, r, outcome -> { });
            }
        }
    }

    private static void checkCase(long seed, int iteration, long limit, byte[] input, SplittableRandom r,
                                  Consumer<ReaderRun.Outcome> expectation) {
        ReaderRun.Rules rules = new ReaderRun.Rules(Set.of(CLOSE_MESSAGE_TOO_BIG), 0, limit, false);
        try {
            ByteBufAllocator parent = FuzzAllocators.parent(iteration);
            ReaderRun.Outcome whole = ReaderRun.run(parent, a -> new Hixie76FrameReader(a, limit), rules, input,
                    new int[0], r);
            int[] cuts = Mutations.cuts(r, input.length);
            ReaderRun.Outcome split = ReaderRun.run(parent, a -> new Hixie76FrameReader(a, limit), rules, input, cuts,
                    r);
            assertThat(split).as("split at %s", Arrays.toString(cuts)).isEqualTo(whole);
            expectation.accept(whole);
        } catch (Throwable t) {
            throw new AssertionError(Fuzz.describe(seed, iteration, "Hixie-76 reader, limit " + limit, input), t);
        }
    }
}
