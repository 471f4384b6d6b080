package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.sluice.test.SluiceTest;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Raw deflate promised to a window under 15 bits (permessage-deflate's {@code *_max_window_bits}): coded with Huffman
 * coding alone. A Huffman code spends at least one bit on every byte, so output of at least an eighth of the input
 * shows no back-reference was used on input that back-references would shrink a hundredfold; it still decodes, and
 * still compresses text below its size.
 */
class SmallWindowDeflateTest {

    /** 64 KiB of "abc" repeated: one back-reference per 258 bytes with a window, at least 8 KiB without. */
    private static final byte[] REPEATS = "abc".repeat(64 * 1024 / 3).getBytes();

    private static byte[] compress(int window, byte[] input) throws Exception {
        CompressionOptions options = CompressionOptions.builder(Codec.DEFLATE_RAW).window(window).build();
        try (MessageCompressor compressor = new MessageCompressor(options, SluiceTest.allocator(), true)) {
            ByteBuf out = compressor.compress(SluiceTest.allocator().buffer().writeBytes(input));
            try {
                return ByteBufUtil.getBytes(out);
            } finally {
                out.release();
            }
        }
    }

    private static byte[] inflate(byte[] compressed, int length) throws Exception {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[length];
            int n = 0;
            while (n < length && !inflater.needsInput()) {
                n += inflater.inflate(out, n, length - n);
            }
            assertThat(n).isEqualTo(length);
            return out;
        } finally {
            inflater.end();
        }
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {8, 9, 12, 14})
    void aWindowUnder15BitsIsKeptWithoutBackReferences(int window) throws Exception {
        byte[] compressed = compress(window, REPEATS);
        assertThat(compressed.length).as("at least one bit per input byte").isGreaterThanOrEqualTo(REPEATS.length / 8);
        assertThat(compressed.length).as("still compressed by byte frequencies").isLessThan(REPEATS.length / 3);
        assertThat(inflate(compressed, REPEATS.length)).isEqualTo(REPEATS);
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {0, 15})
    void theFullWindowUsesBackReferences(int window) throws Exception {
        byte[] compressed = compress(window, REPEATS);
        assertThat(compressed.length).isLessThan(REPEATS.length / 100);
        assertThat(inflate(compressed, REPEATS.length)).isEqualTo(REPEATS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DEFLATE", "GZIP"})
    void onlyRawDeflateTakesASmallerWindow(Codec codec) {
        // zlib's header names a 32 KiB window and gzip's decoders use one: a smaller promise cannot be written
        assertThatThrownBy(() -> CompressionOptions.builder(codec).window(9).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> CompressionOptions.builder(Codec.DEFLATE_RAW).window(7).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8..15");
    }
}
