package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import io.sluice.filters.fuzz.RunSubscriber.Demand;
import io.sluice.filters.compression.DecompressionRun.Outcome;
import io.sluice.filters.fuzz.Leaks;
import io.sluice.filters.fuzz.WarnLines;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.test.RandomChunking;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/**
 * The {@link Compression} filter's {@code receive()} fed by a peer over an in-memory pipe, reads split at random:
 * fewer inputs than {@link DecompressionFuzzTest}, through everything a connection adds. Each input (random bytes, a
 * mutated real stream or a real one) ends as the operator ends on it whole (the oracle): the same bytes, or a
 * {@link DecompressionException}, after which the filter has closed the lower connection and logged exactly one
 * WARN line naming the connection and the error; a stream that decodes logs nothing. Nothing leaks, per input.
 */
class CompressionFilterFuzzTest {

    private static final int SEEDS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Codec.class)
    void whatAPeerSendsDecodesAsTheOperatorSaysOrClosesTheConnectionWithOneWarning(Codec codec) {
        try (WarnLines warnings = WarnLines.capture()) {
            for (long seed : Fuzz.seeds(SEEDS)) {
                SplittableRandom random = Fuzz.random(seed);
                for (int i = 0; i < Fuzz.iterations(4); i++) {
                    byte[] input;
                    String what;
                    int kind = random.nextInt(3);
                    if (kind == 0) {
                        input = Mutations.randomBytes(random, 512);
                        what = "random bytes";
                    } else {
                        ValidStreams.Sample sample = ValidStreams.sample(codec, random, 2 * 1024);
                        if (kind == 1) {
                            Mutations.Mutant mutant = Mutations.mutate(random, sample.compressed());
                            input = mutant.bytes();
                            what = sample.how() + ", mutated: " + mutant.how();
                        } else {
                            input = sample.compressed();
                            what = sample.how();
                        }
                    }
                    CompressionOptions options = DecompressionFuzzTest.options(codec, random);
                    int maxRead = 1 + random.nextInt(random.nextInt(4) == 0 ? 8 : 1024);
                    long chunkingSeed = random.nextLong();
                    String described = Fuzz.describe(seed, i, what + ", reads of at most " + maxRead
                            + ", chunks of at most " + options.chunkSize(), input);
                    WatchedDecoders decoders = new WatchedDecoders(options);
                    Outcome expected = DecompressionRun.run(options, decoders, List.of(input), null, Demand.UNBOUNDED,
                            0, random);
                    Leaks.assertNone(described + " (the operator alone)");
                    overAPipe(options, input, RandomChunking.seeded(chunkingSeed, maxRead), expected, warnings,
                            described);
                }
            }
        }
    }

    private static void overAPipe(CompressionOptions options, byte[] input, RandomChunking chunking,
            Outcome expected, WarnLines warnings, String what) {
        Pipe pipe = TrackedPipes.create(chunking);
        Connection receiver = Compression.of(options).apply(pipe.right());
        Mono<byte[]> received = CompressedPipe.gather(receiver.receive()).cache();
        received.subscribe(null, e -> { });
        ByteBuf wire = pipe.left().budget().allocator().buffer(Math.max(1, input.length)).writeBytes(input);
        // The send may fail when the receiver closes mid-write; its buffers are the pipe's to release either way.
        pipe.left().send(Mono.just(wire)).onErrorResume(e -> Mono.empty())
                .then(Mono.fromRunnable(pipe.left()::shutdownOutput)).subscribe();
        byte[] output = null;
        Throwable error = null;
        try {
            output = received.block(TIMEOUT);
        } catch (RuntimeException e) {
            error = reactor.core.Exceptions.unwrap(e);
        }
        if (error == null) {
            if (!expected.completed() && !expected.failedWith(DecompressionLimitException.class)) {
                throw new AssertionError("decoded over a pipe, but the operator failed on it whole: " + what,
                        expected.error());
            }
            if (expected.completed()) {
                DecompressionFuzzTest.assertSameBytes(output, expected.output(), "decoded over a pipe: " + what);
            }
            closeAndAwait(pipe);
            assertThat(warnings.take()).as("WARN lines for " + what).isEmpty();
        } else {
            if (!(error instanceof DecompressionException)) {
                throw new AssertionError("receive() failed with neither a DecompressionException: " + what, error);
            }
            if (expected.completed() && !(error instanceof DecompressionLimitException)) {
                throw new AssertionError("failed over a pipe, but the operator decoded it whole: " + what, error);
            }
            // The filter closes the lower connection by itself on bad input.
            pipe.right().onClose().block(TIMEOUT);
            closeAndAwait(pipe);
            assertThat(warnings.take()).as("WARN lines for " + what).containsExactly("connection pipe-right: "
                    + "closing on bad " + options.codec().label() + " input: " + error.getMessage());
        }
        Leaks.assertNone(what);
    }

    private static void closeAndAwait(Pipe pipe) {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }
}
