package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.websocket.FuzzAllocators;
import io.sluice.websocket.WebSocketSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the RFC 6455 frame reader in both roles (a server expects masked frames, a client unmasked),
 * with and without RSV1 (permessage-deflate), under a small and the default frame size limit. Valid streams must
 * yield exactly the frames written, however they are split; mutated streams and random bytes must yield frames and
 * then either wait for more, stop at a close frame, or fail with 1002 or 1009, the same way whole and split; every
 * step is checked as {@link ReaderRun} says. A failure names the seed and the input.
 */
class Rfc6455FrameReaderFuzzTest {

    private static final int ITERATIONS = Fuzz.iterations(100);
    private static final int SMALL_FRAME = 64;
    private static final int DEFAULT_FRAME = WebSocketSettings.defaults().maxFrameSize();
    /** The longest header (2 + 8 length + 4 key) plus a control payload less its last byte: held while waiting. */
    private static final int MAX_HELD_WAITING = 2 + 8 + 4 + 124;

    /** The reader of one role and configuration, and the peer whose frames it reads. */
    private record Config(boolean server, boolean rsv1, int maxFrameSize) {

        Rfc6455FrameReader reader(ByteBufAllocator alloc) {
            return new Rfc6455FrameReader(alloc, server, rsv1, maxFrameSize);
        }

        WireFrames.Peer peer() {
            return new WireFrames.Peer(server, rsv1, maxFrameSize);
        }

        ReaderRun.Rules rules() {
            return new ReaderRun.Rules(Set.of(CLOSE_PROTOCOL_ERROR, CLOSE_MESSAGE_TOO_BIG), MAX_HELD_WAITING,
                    maxFrameSize, rsv1);
        }

        @Override
        public String toString() {
            return (server ? "server" : "client") + " reader" + (rsv1 ? " with RSV1" : "") + ", maxFrameSize "
                    + maxFrameSize;
        }
    }

    private static final Config[] CONFIGS = {
        new Config(true, false, DEFAULT_FRAME), new Config(true, true, SMALL_FRAME),
        new Config(false, false, SMALL_FRAME), new Config(false, true, DEFAULT_FRAME),
        new Config(true, false, SMALL_FRAME), new Config(true, true, DEFAULT_FRAME),
        new Config(false, false, DEFAULT_FRAME), new Config(false, true, SMALL_FRAME),
    };

    @Test
    void aValidStreamYieldsTheFramesWrittenHoweverItIsSplit() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                Config config = CONFIGS[i % CONFIGS.length];
                List<WireFrames.Spec> frames = WireFrames.randomStream(r, config.peer(), false);
                byte[] input = WireFrames.encode(frames);
                List<String> expected = WireFrames.expectedFrames(frames);
                boolean endsWithClose = frames.get(frames.size() - 1).opcode() == WebSocketProtocol.OPCODE_CLOSE;
                checkCase(seed, i, config, input, r, outcome -> {
                    assertThat(outcome.frames()).isEqualTo(expected);
                    assertThat(outcome.end()).isEqualTo(endsWithClose ? "closed" : "needs more");
                });
            }
        }
    }

    @Test
    void aMutatedStreamYieldsFramesThenWaitsClosesOrFailsWith1002Or1009() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                Config config = CONFIGS[i % CONFIGS.length];
                List<WireFrames.Spec> frames = WireFrames.randomStream(r, config.peer(), false);
                byte[] input = r.nextInt(4) == 0
                        ? WireFrames.encode(WireFrames.withBoundaryLength(r, frames, config.maxFrameSize()))
                        : WireMutations.mutate(r, WireFrames.encode(frames)).bytes();
                checkCase(seed, i, config, input, r, outcome -> { });
            }
        }
    }

    @Test
    void randomBytesYieldFramesThenWaitCloseOrFailWith1002Or1009() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                Config config = CONFIGS[i % CONFIGS.length];
                byte[] input = r.nextBoolean() ? Mutations.randomBytes(r, 64) : Mutations.interestingBytes(r, 64);
                checkCase(seed, i, config, input, r, outcome -> { });
            }
        }
    }

    /**
     * Reads {@code input} whole, then split at random points (at every byte, now and then): both must pass the
     * checks of {@link ReaderRun}, agree, and satisfy {@code expectation}.
     */
    private static void checkCase(long seed, int iteration, Config config, byte[] input, SplittableRandom r,
                                  Consumer<ReaderRun.Outcome> expectation) {
        try {
            ByteBufAllocator parent = FuzzAllocators.parent(iteration);
            ReaderRun.Outcome whole = ReaderRun.run(parent, config::reader, config.rules(), input, new int[0], r);
            int[] cuts = Mutations.cuts(r, input.length);
            ReaderRun.Outcome split = ReaderRun.run(parent, config::reader, config.rules(), input, cuts, r);
            assertThat(split).as("split at %s", Arrays.toString(cuts)).isEqualTo(whole);
            expectation.accept(whole);
        } catch (Throwable t) {
            throw new AssertionError(Fuzz.describe(seed, iteration, config.toString(), input), t);
        }
    }
}
