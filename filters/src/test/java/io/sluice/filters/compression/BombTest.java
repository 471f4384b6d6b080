package io.sluice.filters.compression;

import static io.sluice.filters.compression.CompressedPipe.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Small inputs that expand to gibibytes are refused by the limits, quickly, while the receiving end never holds
 * more than a few chunks.
 */
class BombTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final int MIB = 1024 * 1024;
    private static final long HELD_BOUND = 256 * 1024;

    /** 1 GiB of zeros as a bare deflate stream, made once, a MiB at a time: the body of every bomb here. */
    private static byte[] gibOfZeros;

    /** 1 GiB of zeros as one deflate stream in {@code codec}'s framing. */
    private static byte[] bomb(Codec codec) {
        if (gibOfZeros == null) {
            gibOfZeros = rawDeflateOfZeros(GIB);
        }
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        if (codec == Codec.GZIP) {
            bomb.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, (byte) 0xff});
        } else if (codec == Codec.DEFLATE) {
            bomb.writeBytes(new byte[] {0x78, (byte) 0xda});
        }
        bomb.writeBytes(gibOfZeros);
        // No trailer: the limits must stop the stream long before a decoder could check one.
        return bomb.toByteArray();
    }

    private static byte[] rawDeflateOfZeros(long zeros) {
        Deflater deflater = new Deflater(9, true);
        byte[] input = new byte[MIB];
        byte[] out = new byte[64 * 1024];
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long done = 0; done < zeros; done += MIB) {
            deflater.setInput(input);
            while (!deflater.needsInput()) {
                body.write(out, 0, deflater.deflate(out));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            body.write(out, 0, deflater.deflate(out));
        }
        deflater.end();
        return body.toByteArray();
    }

    /** Sends {@code wire} raw in writes of {@code writeSize}, and expects receive() to fail at a limit. */
    private static void assertStopped(CompressionOptions options, byte[] wire, int writeSize, String message) {
        Pipe pipe = TrackedPipes.create(Chunking.whole());
        long[] held = new long[1];
        long[] out = new long[1];
        Flux<ByteBuf> received = Compression.of(options).apply(pipe.right()).receive().doOnNext(b -> {
            held[0] = Math.max(held[0], pipe.right().budget().outstandingBytes());
            out[0] += b.readableBytes();
            b.release();
        });
        // Written a piece at a time, as a socket would receive it, so the pipe holds one piece, not the whole bomb.
        int pieces = (wire.length + writeSize - 1) / writeSize;
        pipe.left().send(Flux.range(0, pieces).map(i -> {
            int from = i * writeSize;
            int length = Math.min(writeSize, wire.length - from);
            return pipe.left().budget().allocator().buffer(length).writeBytes(wire, from, length);
        })).onErrorResume(e -> Mono.empty()).subscribe();
        long start = System.nanoTime();
        StepVerifier.create(received)
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(DecompressionLimitException.class)
                        .hasMessageStartingWith(message))
                .verify(TIMEOUT);
        assertThat(System.nanoTime() - start).as("nanoseconds to stop the bomb").isLessThan(10_000_000_000L);
        assertThat(held[0]).as("bytes held by the receiving end at once, beyond the piece being decoded")
                .isLessThan(writeSize + HELD_BOUND);
        assertThat(out[0]).as("bytes decompressed before the stop").isLessThan(64L * MIB);
        pipe.left().close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void aGibOfZerosInSmallWritesIsStoppedByTheRatioLimit(Codec codec) {
        byte[] bomb = bomb(codec);
        assertThat(bomb.length).isLessThan(2 * MIB);
        CompressionOptions options = CompressionOptions.builder(codec).maxExpansionRatio(100, MIB).build();
        assertStopped(options, bomb, 4096, "the " + codec.label() + " stream expands ");
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void oneWriteExpandingBeyondThePerInputLimitIsStopped(Codec codec) {
        byte[] bomb = bomb(codec);
        CompressionOptions options = CompressionOptions.builder(codec).maxDecompressedPerInput(4 * MIB).build();
        assertStopped(options, bomb, bomb.length, "one compressed buffer of the " + codec.label()
                + " stream expands beyond the limit of " + 4 * MIB + " bytes");
    }

    @Test
    void thousandsOfConcatenatedGzipMembersAreStoppedByTheRatioLimit() {
        byte[] member = ReferenceCodecs.gzip(new byte[MIB]);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < 4096; i++) { // 4 GiB in all, about 4 MiB on the wire
            wire.writeBytes(member);
        }
        CompressionOptions options = CompressionOptions.builder(Codec.GZIP).maxExpansionRatio(100, MIB).build();
        assertStopped(options, wire.toByteArray(), 8192, "the gzip stream expands ");
    }
}
