package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionClosedException;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class NativeCodecBadInputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void bytesThatAreNotZstdFailWithZstdsOwnError() {
        assertRefused(Codec.ZSTD, "hello, this is not zstd".getBytes(), DecompressionException.class,
                "corrupt zstd stream: Unknown frame descriptor");
    }

    @Test
    void bytesThatAreNotBrotliFailAsCorrupt() {
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xFF);
        assertRefused(Codec.BROTLI, garbage, DecompressionException.class, "corrupt brotli stream");
    }

    @Test
    void aZstdStreamCutShortIsTruncated() {
        byte[] whole = NativeStreams.compress(CompressionOptions.builder(Codec.ZSTD).build(), NativeStreams.text(1, 5000));
        assertRefused(Codec.ZSTD, Arrays.copyOf(whole, whole.length - 3), DecompressionException.class,
                "stream ended before its end marker: truncated zstd data");
    }

    @Test
    void aBrotliStreamCutShortIsTruncated() {
        byte[] whole = NativeStreams.compress(CompressionOptions.builder(Codec.BROTLI).build(),
                NativeStreams.text(1, 5000));
        assertRefused(Codec.BROTLI, Arrays.copyOf(whole, whole.length - 1), DecompressionException.class,
                "stream ended before its end marker: truncated brotli data");
    }

    @Test
    void bytesAfterTheEndOfABrotliStreamInALaterReadAreRefused() {
        byte[] whole = NativeStreams.compress(CompressionOptions.builder(Codec.BROTLI).build(), new byte[] {1, 2});
        Pipe pipe = TrackedPipes.create();
        Connection receiver = Compression.of(Codec.BROTLI).apply(pipe.right());
        pipe.left().send(Mono.just(buf(pipe.left(), whole)).concatWith(Mono.fromSupplier(
                () -> buf(pipe.left(), new byte[] {9, 9, 9})))).subscribe();
        StepVerifier.create(receiver.receive().doOnNext(ByteBuf::release))
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(DecompressionException.class)
                        .hasMessage("3 bytes after the end of the brotli stream"))
                .verify(TIMEOUT);
        pipe.right().onClose().block(TIMEOUT);
        NativeCodecRoundTripTest.closeAndWait(pipe);
    }

    /**
     * Regression (found by {@code DecompressionFuzzTest}): a frame holding fewer bytes than its header declares was
     * refused when it arrived in one read (zstd checks the size when it decodes a whole frame at once) but accepted,
     * as empty, when it arrived split (zstd's streaming decoder does not check it).
     */
    @Test
    void aZstdFrameHoldingLessThanItsDeclaredSizeIsRefusedHoweverItIsSplit() {
        byte[] frame = java.util.HexFormat.of().parseHex("28b52ffd" // magic
                + "24" // frame header descriptor: single segment, a 1-byte content size, a checksum
                + "20" // content size: 32 bytes
                + "010000" // block header: the last block, raw, 0 bytes
                + "99e9d851"); // checksum of no bytes (the low 4 bytes of XXH64, little-endian)
        assertThat(PeerBytes.failure(Codec.ZSTD, io.sluice.api.pipe.Chunking.whole(), frame))
                .isExactlyInstanceOf(DecompressionException.class);
        assertThat(PeerBytes.failure(Codec.ZSTD, io.sluice.api.pipe.Chunking.everyByte(), frame))
                .isExactlyInstanceOf(DecompressionException.class)
                .hasMessage("corrupt zstd stream: the frame declares 32 bytes of content and holds 0");
    }

    @Test
    void aZstdFrameDemandingATwoGibibyteWindowIsRefusedBeforeAllocation() {
        byte[] header = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, // magic
            0x00, // descriptor: no single segment, no content size, no dictionary
            (byte) 0xA8}; // window descriptor: exponent 21, so 2^31 bytes
        assertRefused(Codec.ZSTD, header, DecompressionLimitException.class,
                "zstd frame needs a window of 2147483648 bytes, beyond the limit of 8388608 (window log 23)");
    }

    @Test
    void theZstdDecoderWindowFollowsTheWindowOption() {
        CompressionOptions wide = CompressionOptions.builder(Codec.ZSTD).window(24)
                .maxDecompressedPerInput(64L << 20).build();
        byte[] data = NativeStreams.text(5, 20_000_000);
        byte[] stream = NativeStreams.compress(wide, data);
        assertRefused(Codec.ZSTD, stream, DecompressionLimitException.class,
                "zstd frame needs a window of 16777216 bytes, beyond the limit of 8388608 (window log 23)");
        Pipe pipe = TrackedPipes.create();
        Connection receiver = Compression.of(wide).apply(pipe.right());
        Mono<byte[]> received = NativeStreams.receiveAll(receiver).cache();
        received.subscribe();
        pipe.left().send(Mono.just(buf(pipe.left(), stream))).then(Mono.fromRunnable(pipe.left()::shutdownOutput))
                .subscribe();
        assertThat(NativeCodecRoundTripTest.crc(received.block(TIMEOUT))).isEqualTo(NativeCodecRoundTripTest.crc(data));
        NativeCodecRoundTripTest.closeAndWait(pipe);
    }

    @Test
    void aZstdBombIsStoppedByTheRatioLimitAfterAtMostOneChunkTooMany() {
        assertBombStopped(Codec.ZSTD, 2L << 30);
    }

    @Test
    void aBrotliBombIsStoppedByTheRatioLimitAfterAtMostOneChunkTooMany() {
        assertBombStopped(Codec.BROTLI, 1L << 30);
    }

    @Test
    void oneBufferExpandingBeyondThePerInputLimitIsRefused() {
        CompressionOptions options = CompressionOptions.builder(Codec.ZSTD).maxExpansionRatio(1_000_000, 0)
                .maxDecompressedPerInput(4 * 1024 * 1024).build();
        byte[] bomb = zeros(options, 64L << 20);
        Pipe pipe = TrackedPipes.create();
        Connection receiver = Compression.of(options).apply(pipe.right());
        pipe.left().send(Mono.just(buf(pipe.left(), bomb))).subscribe();
        StepVerifier.create(receiver.receive().doOnNext(ByteBuf::release))
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(DecompressionLimitException.class)
                        .hasMessage("one compressed buffer of the zstd stream expands beyond the limit of 4194304 bytes"))
                .verify(TIMEOUT);
        NativeCodecRoundTripTest.closeAndWait(pipe);
    }

    private static void assertBombStopped(Codec codec, long size) {
        CompressionOptions options = CompressionOptions.builder(codec).build();
        byte[] bomb = zeros(options, size);
        assertThat(bomb.length).as("bomb size").isLessThan(1024 * 1024);
        Pipe pipe = TrackedPipes.create();
        Connection receiver = Compression.of(codec).apply(pipe.right());
        // In 4 KiB writes, as a peer would send it: the ratio limit, not the per-buffer one, is what stops it.
        CompletableFuture<Void> sent = pipe.left()
                .send(reactor.core.publisher.Flux.range(0, (bomb.length + 4095) / 4096).map(i -> buf(pipe.left(),
                        Arrays.copyOfRange(bomb, i * 4096, Math.min(bomb.length, (i + 1) * 4096)))))
                .onErrorResume(ConnectionClosedException.class, e -> Mono.empty()) // the receiver closed on the bomb
                .toFuture();
        AtomicLong out = new AtomicLong();
        StepVerifier.create(receiver.receive().doOnNext(b -> {
            out.addAndGet(b.readableBytes());
            b.release();
        }))
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(DecompressionLimitException.class)
                        .hasMessageStartingWith("the " + codec.label() + " stream expands "))
                .verify(TIMEOUT);
        // Expanded no further than the limit: 1000 x the bomb, and never the whole of it.
        assertThat(out.get()).isLessThanOrEqualTo(1000L * bomb.length).isLessThan(size / 100);
        pipe.right().onClose().block(TIMEOUT);
        assertThat(sent).as("the sender's send, ended by the receiver's close if not done").succeedsWithin(TIMEOUT);
        NativeCodecRoundTripTest.closeAndWait(pipe);
    }

    /** {@code size} zero bytes compressed into one stream, fed in 1 MiB pieces so nothing large is held. */
    private static byte[] zeros(CompressionOptions options, long size) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Encoder encoder = options.codec().newEncoder(options, ByteBufAllocator.DEFAULT);
        try {
            byte[] piece = new byte[1 << 20];
            for (long done = 0; done < size; done += piece.length) {
                encoder.encode(ByteBufAllocator.DEFAULT.heapBuffer(piece.length).writeBytes(piece), false,
                        b -> take(b, out));
            }
            encoder.finish(b -> take(b, out));
        } finally {
            encoder.close();
        }
        return out.toByteArray();
    }

    private static void take(ByteBuf b, java.io.ByteArrayOutputStream out) {
        out.writeBytes(NativeStreams.bytes(b));
        b.release();
    }

    private static void assertRefused(Codec codec, byte[] input, Class<? extends Throwable> type, String message) {
        Pipe pipe = TrackedPipes.create();
        Connection receiver = Compression.of(codec).apply(pipe.right());
        pipe.left().send(Mono.just(buf(pipe.left(), input))).then(Mono.fromRunnable(pipe.left()::shutdownOutput))
                .subscribe();
        StepVerifier.create(receiver.receive().doOnNext(ByteBuf::release))
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(type).hasMessage(message))
                .verify(TIMEOUT);
        // Bad input closes the lower connection.
        pipe.right().onClose().block(TIMEOUT);
        NativeCodecRoundTripTest.closeAndWait(pipe);
    }

    private static ByteBuf buf(Connection c, byte[] bytes) {
        return c.budget().allocator().buffer(bytes.length).writeBytes(bytes);
    }
}
