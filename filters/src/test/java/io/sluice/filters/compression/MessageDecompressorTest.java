package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.test.SluiceTest;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The limit of {@link MessageDecompressor}: {@code decompress} refuses a message past it, {@code decompressAtMost}
 * hands out the message cut one byte past it, for a protocol that reports an error in the bytes before the limit
 * first; either way a bomb is stopped there. Each codec, with and without context takeover.
 */
class MessageDecompressorTest {

    private static final int LIMIT = 100_000;

    @ParameterizedTest
    @EnumSource(Codec.class)
    void decompressAtMostHandsOutAMessageWithinTheLimitWhole(Codec codec) throws Exception {
        byte[] message = NativeStreams.text(3, LIMIT);
        for (boolean takeover : new boolean[] {false, true}) {
            try (Pair pair = new Pair(codec, takeover)) {
                ByteBuf out = pair.decompressor.decompressAtMost(pair.compress(message), LIMIT);
                assertThat(bytesAndRelease(out)).as("context takeover " + takeover).isEqualTo(message);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void decompressAtMostCutsAMessagePastTheLimitOneBytePastIt(Codec codec) throws Exception {
        byte[] message = NativeStreams.text(4, 4 * LIMIT);
        for (boolean takeover : new boolean[] {false, true}) {
            try (Pair pair = new Pair(codec, takeover)) {
                ByteBuf out = pair.decompressor.decompressAtMost(pair.compress(message), LIMIT);
                assertThat(bytesAndRelease(out)).as("context takeover " + takeover)
                        .isEqualTo(Arrays.copyOf(message, LIMIT + 1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void decompressAtMostStopsABombOneBytePastTheLimit(Codec codec) throws Exception {
        try (Pair pair = new Pair(codec, true)) {
            ByteBuf out = pair.decompressor.decompressAtMost(pair.compress(new byte[64 << 20]), 10);
            assertThat(bytesAndRelease(out)).isEqualTo(new byte[11]);
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void decompressRefusesAMessagePastTheLimitAndTakesOneOfExactlyTheLimit(Codec codec) throws Exception {
        byte[] message = NativeStreams.text(5, LIMIT);
        try (Pair pair = new Pair(codec, false)) {
            ByteBuf over = pair.compress(message);
            assertThatThrownBy(() -> pair.decompressor.decompress(over, LIMIT - 1))
                    .isInstanceOf(DecompressionLimitException.class)
                    .hasMessageEndingWith("beyond the limit of " + (LIMIT - 1) + " bytes");
            assertThat(bytesAndRelease(pair.decompressor.decompress(pair.compress(message), LIMIT)))
                    .isEqualTo(message);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = "DEFLATE_RAW")
    void aNegativeLimitIsRefusedAndTheInputReleased(Codec codec) throws Exception {
        try (Pair pair = new Pair(codec, false)) {
            ByteBuf input = pair.compress(new byte[10]);
            assertThatThrownBy(() -> pair.decompressor.decompressAtMost(input, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBytes must be at least 0: -1");
            assertThat(input.refCnt()).isZero();
        }
    }

    /** A compressor and a decompressor over the test's allocator. */
    private static final class Pair implements AutoCloseable {
        final MessageCompressor compressor;
        final MessageDecompressor decompressor;

        Pair(Codec codec, boolean takeover) {
            CompressionOptions options = CompressionOptions.builder(codec).build();
            compressor = new MessageCompressor(options, SluiceTest.allocator(), takeover);
            decompressor = new MessageDecompressor(options, SluiceTest.allocator(), takeover);
        }

        ByteBuf compress(byte[] message) throws Exception {
            return compressor.compress(SluiceTest.allocator().buffer(message.length).writeBytes(message));
        }

        @Override
        public void close() {
            compressor.close();
            decompressor.close();
        }
    }

    private static byte[] bytesAndRelease(ByteBuf b) {
        try {
            return NativeStreams.bytes(b);
        } finally {
            b.release();
        }
    }
}
