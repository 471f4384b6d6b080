package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.BufferBudget;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.websocket.FuzzAllocators;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the permessage-deflate inflater on the payloads a peer sends: real deflate output from the JDK's
 * {@link Deflater} (sync flush, the {@code 00 00 FF FF} tail removed, RFC 7692 §7.2.1), with and without context
 * takeover, inflated in random pieces, must give back each message exactly, and, as soon as the limit is one byte
 * short, the message cut one byte past the limit; mutated payloads and random bytes must inflate to at most the
 * limit, or to a prefix one byte past it, or fail with 1007, nothing else; a small bomb must stop one byte past the
 * limit, having held little more than the limit meanwhile.
 * Each case runs on a budget of its own, checked to be empty once the inflater is closed. A failure names the seed
 * and the input.
 */
class PerMessageInflaterFuzzTest {

    private static final int ITERATIONS = Fuzz.iterations(30);
    /** The decompressor's largest chunk: the most a message may overshoot its limit by before it is refused. */
    private static final int CHUNK = 16 * 1024;
    private static final String[] WORDS = {
        "the ", "sluice ", "gate ", "κόσμε ", "🌊 ", "\u0000", "{\"id\":", "}, ",
    };

    @Test
    void inflatesDeflatedMessagesExactlyInRandomPiecesAndRefusesThemOneByteBelowTheirSize() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                boolean takeover = r.nextBoolean();
                Deflater deflater = new Deflater(r.nextInt(10), true);
                Case c = new Case(FuzzAllocators.parent(i), takeover, Integer.MAX_VALUE);
                byte[] compressed = new byte[0];
                try {
                    int messages = 1 + r.nextInt(4);
                    for (int m = 0; m < messages; m++) {
                        byte[] message = message(r);
                        if (!takeover) {
                            deflater.reset();
                        }
                        compressed = WireFrames.deflated(deflater, message);
                        if (message.length > 0 && r.nextInt(4) == 0) {
                            Inflated cut = c.inflate(compressed, Mutations.cuts(r, compressed.length),
                                    message.length - 1);
                            assertThat(cut.pastTheLimit()).as("message %d past a limit one byte short", m).isTrue();
                            assertThat(cut.bytes()).as("message %d cut one byte past the limit", m)
                                    .isEqualTo(message);
                            break; // the connection is failed: no later message
                        }
                        Inflated whole = c.inflate(compressed, Mutations.cuts(r, compressed.length), message.length);
                        assertThat(whole.pastTheLimit()).as("message %d past its own size", m).isFalse();
                        assertThat(whole.bytes()).as("message %d inflated", m).isEqualTo(message);
                    }
                    c.close();
                } catch (Throwable t) {
                    c.abandon();
                    throw new AssertionError(Fuzz.describe(seed, i, "inflating valid messages, context takeover "
                            + takeover, compressed), t);
                } finally {
                    deflater.end();
                }
            }
        }
    }

    @Test
    void mutatedOrRandomPayloadsInflateWithinTheLimitOrOneBytePastItOrFailWith1007() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS * 4; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                boolean takeover = r.nextBoolean();
                byte[] input;
                if (i % 4 == 0) {
                    input = r.nextBoolean() ? Mutations.randomBytes(r, 64) : Mutations.interestingBytes(r, 64);
                } else {
                    Deflater deflater = new Deflater(r.nextInt(10), true);
                    try {
                        input = Mutations.mutate(r, WireFrames.deflated(deflater, message(r))).bytes();
                    } finally {
                        deflater.end();
                    }
                }
                int limit = 1 + r.nextInt(r.nextBoolean() ? 64 : 64 * 1024);
                Case c = new Case(FuzzAllocators.parent(i), takeover, limit + CHUNK + 4L * input.length + 4096);
                try {
                    try {
                        c.inflate(input, Mutations.cuts(r, input.length), limit); // Case checks the sizes
                    } catch (WebSocketProtocolException e) {
                        assertThat(e.closeCode()).as("close code of: " + e.getMessage())
                                .isEqualTo(CLOSE_INVALID_PAYLOAD);
                    }
                    c.close();
                } catch (Throwable t) {
                    c.abandon();
                    throw new AssertionError(Fuzz.describe(seed, i, "inflating a mutated payload, limit " + limit
                            + ", context takeover " + takeover, input), t);
                }
            }
        }
    }

    @Test
    void aSmallBombStopsOneBytePastTheLimitHoldingLittleMoreThanTheLimit() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < Math.max(1, ITERATIONS / 10); i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                byte[] input = Bombs.ONE.compressed;
                int limit = 1 + r.nextInt(1 << 20);
                Case c = new Case(FuzzAllocators.parent(i), r.nextBoolean(), limit + CHUNK + 4L * input.length + 4096);
                try {
                    Inflated cut = c.inflate(input, Mutations.cuts(r, input.length), limit);
                    assertThat(cut.pastTheLimit()).as("past the limit").isTrue();
                    assertThat(cut.bytes()).as("the bomb's first bytes").containsOnly(0);
                    c.close();
                } catch (Throwable t) {
                    c.abandon();
                    throw new AssertionError(Fuzz.describe(seed, i, "inflating a bomb of " + Bombs.SIZE
                            + " B, limit " + limit, input), t);
                }
            }
        }
    }

    /** What a message inflated to: all of it, or its first bytes up to one past the limit. */
    private record Inflated(byte[] bytes, boolean pastTheLimit) {
    }

    /** A bomb, made once: many mebibytes of zeros in a few kibibytes. */
    private static final class Bombs {
        static final int SIZE = 8 << 20;
        static final Bombs ONE = new Bombs();
        final byte[] compressed;

        private Bombs() {
            Deflater deflater = new Deflater(9, true);
            try {
                compressed = WireFrames.deflated(deflater, new byte[SIZE]);
            } finally {
                deflater.end();
            }
        }
    }

    /**
     * One inflater over a budget of its own, which must not reach {@code peakAllowed} bytes at any moment, and must
     * be empty once the inflater is closed.
     */
    private static final class Case {
        private final BufferBudget budget;
        private final PerMessageInflater inflater;
        private final AtomicBoolean peaked = new AtomicBoolean();

        Case(ByteBufAllocator parent, boolean takeover, long peakAllowed) {
            this.budget = BufferBudget.builder().name("fuzzed inflater").parent(parent)
                    .waterMarks(peakAllowed - 1, peakAllowed).trackBuffers(false).build();
            budget.onPressureChange(() -> {
                if (budget.exhausted()) {
                    peaked.set(true);
                }
            });
            this.inflater = new PerMessageInflater(budget.allocator(), takeover);
        }

        /**
         * Inflates one message fed in the pieces {@code cuts} makes, each output released once read, until the end
         * or a piece that goes past the limit, which must then have been cut to exactly one byte past it.
         */
        Inflated inflate(byte[] compressed, int[] cuts, long limit) throws WebSocketProtocolException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int from = 0;
            for (int k = 0; k <= cuts.length; k++) {
                int to = k < cuts.length ? cuts[k] : compressed.length;
                ByteBuf piece = budget.allocator().buffer(to - from).writeBytes(compressed, from, to - from);
                from = to;
                ByteBuf inflated = inflater.inflate(piece, k == cuts.length, limit - out.size());
                try {
                    inflated.readBytes(out, inflated.readableBytes());
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                } finally {
                    inflated.release();
                }
                assertThat(peaked).as("the budget's peak was reached while inflating").isFalse();
                if (out.size() > limit) {
                    assertThat((long) out.size()).as("inflated bytes past the limit").isEqualTo(limit + 1);
                    return new Inflated(out.toByteArray(), true);
                }
            }
            return new Inflated(out.toByteArray(), false);
        }

        void close() {
            inflater.close();
            assertThat(peaked).as("the budget's peak was reached while inflating").isFalse();
            assertThat(budget.outstandingBuffers()).as("buffers held once the inflater is closed").isZero();
            budget.close();
        }

        /** After a failed check: frees the context; the test kit reports whatever is still held. */
        void abandon() {
            inflater.close();
        }
    }

    /** A message worth compressing: words repeated, random bytes, or nothing. */
    private static byte[] message(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> new byte[0];
            case 1 -> Mutations.randomBytes(r, 2_000);
            default -> {
                StringBuilder sb = new StringBuilder();
                int words = r.nextInt(r.nextBoolean() ? 50 : 5_000);
                for (int w = 0; w < words; w++) {
                    sb.append(WORDS[r.nextInt(WORDS.length)]);
                }
                yield sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }
}
