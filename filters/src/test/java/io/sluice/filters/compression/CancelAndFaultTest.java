package io.sluice.filters.compression;

import static io.sluice.filters.compression.CompressedPipe.TIMEOUT;
import static io.sluice.filters.compression.CompressedPipe.buffer;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionResetException;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.FaultSweep;
import io.sluice.test.TrackedPipes;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Cancelling or failing at any step, or losing the lower connection, leaves no buffer behind. */
class CancelAndFaultTest {

    private static final byte[] DATA = ReferenceCodecs.text(4000, 5);

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void aFaultAtAnyStepOfTheSentDataLeavesNothingBehind(Codec codec) {
        FaultSweep.steps(8).chunking(Chunking.atMost(100)).run((fault, pipe) -> {
            Connection sender = Compression.of(codec).apply(pipe.left());
            Connection receiver = Compression.of(codec).apply(pipe.right());
            receiver.receive().subscribe(ByteBuf::release, e -> { });
            Flux<ByteBuf> data = Flux.range(0, 8).map(i -> buffer(sender, Arrays.copyOfRange(DATA, i * 500, i * 500 + 500)));
            sender.send(data.transform(fault.operator())).onErrorResume(e -> Mono.empty()).block(TIMEOUT);
            sender.close();
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void aFaultAtAnyStepOfTheDecodedStreamLeavesNothingBehind(Codec codec) {
        byte[] wire = ReferenceCodecs.compress(codec, DATA);
        FaultSweep.steps(12).chunking(Chunking.atMost(50)).run((fault, pipe) -> {
            Connection receiver = Compression.of(CompressionOptions.builder(codec).chunkSize(256).build())
                    .apply(pipe.right());
            receiver.receive().transform(fault.operator()).subscribe(ByteBuf::release, e -> { });
            pipe.left().send(Mono.just(buffer(pipe.left(), wire))).onErrorResume(e -> Mono.empty()).block(TIMEOUT);
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void cancellingInTheMiddleOfALargeDecompressionReleasesEverything(Codec codec) {
        byte[] wire = ReferenceCodecs.compress(codec, new byte[64 * 1024 * 1024]);
        Pipe pipe = TrackedPipes.create(Chunking.atMost(4096));
        Connection receiver = Compression.of(codec).apply(pipe.right());
        pipe.left().send(Mono.just(buffer(pipe.left(), wire))).onErrorResume(e -> Mono.empty()).subscribe();
        StepVerifier.create(receiver.receive().doOnNext(ByteBuf::release), 10)
                .expectNextCount(10)
                .thenCancel()
                .verify(TIMEOUT);
        CompressedPipe.closeAndAwait(pipe);
        assertThat(pipe.right().budget().outstandingBytes()).isZero();
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void aResetOfTheLowerConnectionMidStreamFailsReceiveAndReleasesEverything(Codec codec) {
        byte[] wire = ReferenceCodecs.compress(codec, ReferenceCodecs.text(100_000, 2));
        Pipe pipe = TrackedPipes.create(Chunking.atMost(1000));
        Connection receiver = Compression.of(codec).apply(pipe.right());
        StepVerifier.create(receiver.receive().doOnNext(ByteBuf::release))
                .then(() -> pipe.left().send(Mono.just(buffer(pipe.left(), Arrays.copyOf(wire, wire.length / 2))))
                        .block(TIMEOUT))
                .then(() -> pipe.left().reset()) // the pipe delivers on the sending thread: all arrived by now
                .thenConsumeWhile(b -> true)
                .expectError(ConnectionResetException.class)
                .verify(TIMEOUT);
        CompressedPipe.closeAndAwait(pipe);
    }
}
