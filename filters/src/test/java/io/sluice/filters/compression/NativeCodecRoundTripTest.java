package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.FaultSweep;
import io.sluice.test.RandomChunking;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class NativeCodecRoundTripTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void roundTripsWithEveryByteItsOwnRead(Codec codec) {
        byte[] data = NativeStreams.text(1, 3000);
        assertThat(roundTrip(codec, TrackedPipes.create(Chunking.everyByte()), data, 700)).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void roundTripsWithRandomSplits(Codec codec) {
        for (long seed = 0; seed < 5; seed++) {
            byte[] data = NativeStreams.text(seed, 100_000);
            Pipe pipe = TrackedPipes.create(RandomChunking.seeded(seed, 3000));
            assertThat(roundTrip(codec, pipe, data, 100 + (int) seed * 9000)).as("seed " + seed).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void anEmptyStreamRoundTripsToNothing(Codec codec) {
        assertThat(roundTrip(codec, TrackedPipes.create(), new byte[0], 1)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void sixtyFourMebibytesStreamThroughWithoutBeingHeld(Codec codec) {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(codec).apply(pipe.left());
        Connection receiver = Compression.of(codec).apply(pipe.right());
        int blocks = 1024;
        int blockSize = 64 * 1024;
        NativeStreams.Digest sent = new NativeStreams.Digest();
        NativeStreams.Digest received = new NativeStreams.Digest();
        long[] peakOutstanding = new long[1];
        Mono<Void> receiving = receiver.receive().doOnNext(b -> {
            peakOutstanding[0] = Math.max(peakOutstanding[0], pipe.right().budget().outstandingBytes());
            received.update(b);
            b.release();
        }).then().cache();
        receiving.subscribe();
        Flux<ByteBuf> data = Flux.range(0, blocks).map(i -> {
            byte[] block = NativeStreams.text(i, blockSize); // each block differs, so the ratio limit stays away
            sent.update(block);
            return NativeStreams.buffer(sender, block, 0, blockSize);
        });
        sender.send(data).block(TIMEOUT);
        sender.close();
        receiving.block(TIMEOUT);
        assertThat(received.count).isEqualTo(64L * 1024 * 1024);
        assertThat(received.crc.getValue()).isEqualTo(sent.crc.getValue());
        // Streamed: the receiver's budget never held more than its water marks allow, far below the 64 MiB.
        assertThat(peakOutstanding[0]).isLessThan(4L * 1024 * 1024);
        closeAndWait(pipe);
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void cancelOrErrorAtEveryStepOfTheSendLeavesNothing(Codec codec) {
        byte[] data = NativeStreams.text(3, 4000);
        FaultSweep.steps(9).chunking(Chunking.atMost(97)).run((fault, pipe) -> {
            Connection sender = Compression.of(codec).apply(pipe.left());
            Connection receiver = Compression.of(codec).apply(pipe.right());
            Mono<byte[]> received = NativeStreams.receiveAll(receiver).onErrorResume(e -> Mono.empty()).cache();
            received.subscribe();
            sender.send(NativeStreams.writes(sender, data, 500).transform(fault.operator()))
                    .onErrorResume(e -> Mono.empty())
                    .block(TIMEOUT);
            sender.close();
            received.block(TIMEOUT);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void cancelOrErrorAtEveryStepOfTheReceiveLeavesNothing(Codec codec) {
        byte[] data = NativeStreams.text(4, 200_000);
        FaultSweep.steps(12).run((fault, pipe) -> {
            Connection sender = Compression.of(CompressionOptions.builder(codec).chunkSize(1024).build())
                    .apply(pipe.left());
            Connection receiver = Compression.of(CompressionOptions.builder(codec).chunkSize(1024).build())
                    .apply(pipe.right());
            Mono<Void> received = receiver.receive().transform(fault.operator()).doOnNext(ByteBuf::release).then()
                    .onErrorResume(e -> Mono.empty()).cache();
            received.subscribe();
            sender.send(NativeStreams.writes(sender, data, 20_000)).onErrorResume(e -> Mono.empty())
                    .subscribe();
            received.block(TIMEOUT);
            sender.close();
        });
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void flushedMessagesAreDecodableBeforeTheStreamEnds(Codec codec) {
        Pipe pipe = TrackedPipes.create(Chunking.atMost(3));
        Connection sender = Compression.of(codec).apply(pipe.left());
        Connection receiver = Compression.of(codec).apply(pipe.right());
        // Each send flushes: the receiver sees every message whole while the stream is still open.
        Flux<String> seen = receiver.receive().map(b -> {
            try {
                return b.toString(java.nio.charset.StandardCharsets.UTF_8);
            } finally {
                b.release();
            }
        }).scan("", String::concat);
        StringBuilder expected = new StringBuilder();
        reactor.test.StepVerifier.Step<String> step = reactor.test.StepVerifier.create(seen
                .filter(s -> s.endsWith(";")).distinct()).then(() -> { });
        for (int i = 0; i < 5; i++) {
            String message = "message " + i + ";";
            expected.append(message);
            String want = expected.toString();
            step = step.then(() -> sender.send(Mono.just(NativeStreams.buffer(sender,
                    message.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, message.length()))).subscribe())
                    .expectNext(want);
        }
        step.then(sender::close).verifyComplete();
        closeAndWait(pipe);
    }

    private static byte[] roundTrip(Codec codec, Pipe pipe, byte[] data, int writeSize) {
        Connection sender = Compression.of(codec).apply(pipe.left());
        Connection receiver = Compression.of(codec).apply(pipe.right());
        Mono<byte[]> received = NativeStreams.receiveAll(receiver).cache();
        received.subscribe();
        sender.send(NativeStreams.writes(sender, data, writeSize)).block(TIMEOUT);
        sender.close();
        byte[] out = received.block(TIMEOUT);
        closeAndWait(pipe);
        return out;
    }

    static void closeAndWait(Pipe pipe) {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
        assertThat(pipe.left().budget().outstandingBytes()).isZero();
        assertThat(pipe.right().budget().outstandingBytes()).isZero();
    }

    static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
