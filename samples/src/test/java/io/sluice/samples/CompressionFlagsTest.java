package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.CompressionOptions;
import org.junit.jupiter.api.Test;

class CompressionFlagsTest {

    @Test
    void readsTheCodecByNameAndKeepsItsDefaultLevelUnlessOneIsGiven() {
        CompressionOptions defaults = CompressionFlags.read(CompressedEchoServer.options().parse("--codec", "GZIP"));
        CompressionOptions level9 = CompressionFlags.read(CompressedEchoServer.options()
                .parse("--codec", "deflate", "--level", "9"));

        assertThat(defaults.codec()).isEqualTo(Codec.GZIP);
        assertThat(defaults.level()).isEqualTo(6);
        assertThat(level9.codec()).isEqualTo(Codec.DEFLATE);
        assertThat(level9.level()).isEqualTo(9);
    }

    @Test
    void namesAnUnknownCodecAndALevelOutOfRange() {
        assertThatThrownBy(() -> CompressionFlags.read(CompressedEchoServer.options().parse("--codec", "lz4")))
                .hasMessageStartingWith("unknown codec 'lz4'");
        assertThatThrownBy(() -> CompressionFlags.read(CompressedEchoServer.options()
                .parse("--codec", "zstd", "--level", "0")))
                .hasMessage("zstd level must be in 1..22, got 0");
    }
}
