package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.filters.fuzz.RunSubscriber.Demand;
import io.sluice.filters.compression.DecompressionRun.Outcome;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.test.SluiceTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded fuzzing of every decompression codec through {@link DecompressingFlux}, the operator behind each
 * {@link Compression} filter's {@code receive()}: random bytes (bare, and after the first bytes of a real stream),
 * mutations of real streams (our encoders' and the JDK's), and real streams, each delivered whole, split at random
 * points, and cancelled at random points.
 *
 * <p>For every input: the stream completes or fails with a {@link DecompressionException} (an injected transport
 * error passes through as it is), and nothing else; the bad-input callback is called once exactly when it fails so;
 * a real stream gives back exactly its original, however split; split and whole deliveries of any input agree (the
 * same output when both complete; neither completes where the other fails, except at the ratio limit, which counts
 * the compressed bytes fed so far); every decoder made is closed, whatever the end, and nothing uses it after;
 * every buffer is released by the end of each run; a small bomb stops at its limits. Failures name the seed and the
 * input (see {@link Fuzz} to replay one).
 */
class DecompressionFuzzTest {

    private static final int SEEDS = 8;
    private static final int MAX_ORIGINAL = 4 * 1024;
    private static final int FLOOR = 256 * 1024;

    /**
     * The default limits, with the ratio checked from 256 KiB on so that a mutant that turns into a bomb stops soon,
     * and a chunk size from the smallest allowed to the largest.
     */
    static CompressionOptions options(Codec codec, SplittableRandom random) {
        int[] chunkSizes = {64, 100, 1024, 16 * 1024, Scratch.MAX};
        return CompressionOptions.builder(codec).maxExpansionRatio(1000, FLOOR)
                .chunkSize(chunkSizes[random.nextInt(chunkSizes.length)]).build();
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void randomBytesDecodeOrFailWithADecompressionException(Codec codec) {
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(6); i++) {
                byte[] input;
                String what;
                if (random.nextBoolean()) {
                    input = Mutations.randomBytes(random, 512);
                    what = "random bytes";
                } else {
                    byte[] start = ValidStreams.sample(codec, random, 256).compressed();
                    int keep = Math.min(start.length, 1 + random.nextInt(16));
                    input = ReferenceCodecs.concat(Arrays.copyOf(start, keep), Mutations.randomBytes(random, 512));
                    what = "random bytes after the first " + keep + " bytes of a " + codec.label() + " stream";
                }
                fuzz(codec, random, input, null, Fuzz.describe(seed, i, what, input));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void mutatedStreamsDecodeAlikeSplitOrWholeOrFailWithADecompressionException(Codec codec) {
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(6); i++) {
                ValidStreams.Sample sample = ValidStreams.sample(codec, random, MAX_ORIGINAL);
                Mutations.Mutant mutant = Mutations.mutate(random, sample.compressed());
                fuzz(codec, random, mutant.bytes(), null, Fuzz.describe(seed, i, sample.how() + ", mutated: "
                        + mutant.how(), mutant.bytes()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void realStreamsSplitAnywhereGiveBackTheirOriginal(Codec codec) {
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(3); i++) {
                ValidStreams.Sample sample = ValidStreams.sample(codec, random, MAX_ORIGINAL);
                fuzz(codec, random, sample.compressed(), sample.original(),
                        Fuzz.describe(seed, i, sample.how() + " of " + sample.original().length + " bytes",
                                sample.compressed()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void aSmallBombSplitAnywhereStopsAtItsLimit(Codec codec) {
        byte[] bomb = bomb(codec);
        for (long seed : Fuzz.seeds(SEEDS)) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(1); i++) {
                boolean whole = random.nextBoolean();
                long ratio = 10 + random.nextInt(200);
                long perInput = 64 * 1024 + random.nextInt(1024 * 1024);
                CompressionOptions options = whole
                        ? CompressionOptions.builder(codec).maxDecompressedPerInput(perInput).build()
                        : CompressionOptions.builder(codec).maxExpansionRatio(ratio, 64 * 1024).build();
                List<byte[]> pieces = whole ? List.of(bomb) : Mutations.split(random, bomb, 1 + random.nextInt(4096));
                String what = Fuzz.describe(seed, i, "32 MiB of zeros as " + codec.label() + (whole
                        ? ", whole, per-input limit " + perInput : ", split, ratio limit " + ratio), bomb);
                Demand demand = random.nextBoolean() ? Demand.UNBOUNDED : Demand.ONE_BY_ONE;
                WatchedDecoders decoders = new WatchedDecoders(options);
                Outcome o = DecompressionRun.run(options, decoders, pieces, null, demand, 0, random);
                assertFollowsTheRules(o, decoders, null, what);
                assertThat(o.error()).as(what).isInstanceOf(DecompressionLimitException.class);
                long bound = whole ? perInput : Math.max(64 * 1024, ratio * bomb.length);
                assertThat((long) o.output().length).as("bytes let out by " + what).isLessThanOrEqualTo(bound);
            }
        }
    }

    /**
     * Decodes {@code input} whole, then split at random with a random demand (a transport error after it, now and
     * then), then split and cancelled after a few chunks (now and then), checking each run and that they agree.
     * {@code original}, when known, is what every run must give back.
     */
    private static void fuzz(Codec codec, SplittableRandom random, byte[] input, byte[] original, String what) {
        CompressionOptions options = options(codec, random);
        what += ", chunks of at most " + options.chunkSize();

        WatchedDecoders decoders = new WatchedDecoders(options);
        Outcome whole = DecompressionRun.run(options, decoders, List.of(input), null, Demand.UNBOUNDED, 0, random);
        assertFollowsTheRules(whole, decoders, null, what + ", whole");
        if (original != null) {
            assertGivesBack(whole, original, what + ", whole");
        }

        List<byte[]> pieces = Mutations.split(random, input, 1 + random.nextInt(random.nextInt(4) == 0 ? 16 : 1024));
        Demand demand = random.nextBoolean() ? Demand.UNBOUNDED : Demand.ONE_BY_ONE;
        Throwable reset = random.nextInt(8) == 0 ? new IOException("connection reset (injected)") : null;
        String splitWhat = what + ", in " + pieces.size() + " pieces, demand " + demand
                + (reset != null ? ", then a reset" : "");
        decoders = new WatchedDecoders(options);
        Outcome split = DecompressionRun.run(options, decoders, pieces, reset, demand, 0, random);
        assertFollowsTheRules(split, decoders, reset, splitWhat);
        if (reset == null) {
            assertAgree(whole, split, splitWhat);
            if (original != null) {
                assertGivesBack(split, original, splitWhat);
            }
        } else {
            assertPrefix(split, whole, splitWhat);
        }

        if (random.nextInt(4) == 0) {
            int cancelAfter = random.nextInt(4);
            String cancelWhat = what + ", in " + pieces.size() + " pieces, cancelled after " + cancelAfter + " chunks";
            decoders = new WatchedDecoders(options);
            Outcome cancelled = DecompressionRun.run(options, decoders, pieces, null, Demand.CANCEL, cancelAfter,
                    random);
            assertFollowsTheRules(cancelled, decoders, null, cancelWhat);
            assertPrefix(cancelled, whole, cancelWhat);
        }
    }

    /** The rules every run follows, whatever its input. */
    private static void assertFollowsTheRules(Outcome o, WatchedDecoders decoders, Throwable reset, String what) {
        assertThat(o.breach()).as("operator rule broken by " + what).isNull();
        assertThat(decoders.problem()).as("decoder of " + what).isNull();
        assertThat(SluiceTest.allocator().outstanding()).as("buffers not released after " + what).isEmpty();
        if (o.error() != null && o.error() != reset && !(o.error() instanceof DecompressionException)) {
            throw new AssertionError("neither a DecompressionException nor the transport's error, for " + what,
                    o.error());
        }
        boolean badInput = o.error() instanceof DecompressionException;
        assertThat(o.badInputCalls()).as("bad-input callbacks for " + what + " (" + o + ")")
                .isEqualTo(badInput ? 1 : 0);
    }

    private static void assertGivesBack(Outcome o, byte[] original, String what) {
        if (!o.completed()) {
            throw new AssertionError("a real stream did not decode: " + what + ": " + o, o.error());
        }
        assertSameBytes(o.output(), original, "decoded " + what);
    }

    /** Whole and split deliveries of the same bytes end alike and give the same bytes. */
    private static void assertAgree(Outcome whole, Outcome split, String what) {
        boolean limited = whole.failedWith(DecompressionLimitException.class)
                || split.failedWith(DecompressionLimitException.class);
        if (whole.completed() != split.completed() && !limited) {
            AssertionError e = new AssertionError("whole, the input " + whole + "; split, it " + split + ": " + what);
            if (whole.error() != null) {
                e.addSuppressed(whole.error());
            }
            if (split.error() != null) {
                e.addSuppressed(split.error());
            }
            throw e;
        }
        if (whole.completed() && split.completed()) {
            assertSameBytes(split.output(), whole.output(), "split against whole output of " + what);
        } else {
            assertPrefix(split, whole, what);
        }
    }

    /** What a run gave out is the start of what the other gave, or the other way round: no byte differs. */
    private static void assertPrefix(Outcome a, Outcome b, String what) {
        int common = Math.min(a.output().length, b.output().length);
        assertSameBytes(Arrays.copyOf(a.output(), common), Arrays.copyOf(b.output(), common),
                "output of " + what + " against the whole input's");
    }

    /** Fails naming the first byte that differs, rather than printing kilobytes of both. */
    static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        int differs = Arrays.mismatch(actual, expected);
        if (differs >= 0) {
            throw new AssertionError(what + ": " + actual.length + " bytes against " + expected.length
                    + " expected, first differing at byte " + differs);
        }
    }

    private static final Map<Codec, byte[]> BOMBS = new EnumMap<>(Codec.class);

    /** 32 MiB of zeros compressed by our encoder at its default level, made once per codec. */
    private static byte[] bomb(Codec codec) {
        NativeLibraries.require(codec);
        return BOMBS.computeIfAbsent(codec, c -> {
            CompressionOptions options = CompressionOptions.builder(c).build();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Encoder encoder = c.newEncoder(options, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
            try {
                byte[] zeros = new byte[1024 * 1024];
                for (int i = 0; i < 32; i++) {
                    encoder.encode(io.netty.buffer.Unpooled.wrappedBuffer(zeros), false, b -> {
                        out.writeBytes(NativeStreams.bytes(b));
                        b.release();
                    });
                }
                encoder.finish(b -> {
                    out.writeBytes(NativeStreams.bytes(b));
                    b.release();
                });
            } finally {
                encoder.close();
            }
            return out.toByteArray();
        });
    }
}
