package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class NativeLibrariesTest {

    @Test
    void aMissingNativeLibraryIsAStartupErrorNamingTheCodecAndTheArtifact() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("no brotli in java.library.path");
        IllegalStateException e = NativeLibraries.unavailable(Codec.BROTLI, cause);
        assertThat(e).hasCause(cause)
                .hasMessageStartingWith("brotli compression is not available: add com.aayushatharva.brotli4j:brotli4j")
                .hasMessageContaining("com.aayushatharva.brotli4j:native-")
                .hasMessageContaining("no brotli in java.library.path");
        assertThat(NativeLibraries.unavailable(Codec.ZSTD, new NoClassDefFoundError("com/github/luben/zstd/Zstd")))
                .hasMessageStartingWith("zstd compression is not available: add com.github.luben:zstd-jni");
    }

    @Test
    void availableCodecsBuildTheirFilterWithoutError() {
        for (Codec codec : Codec.values()) {
            assertThatCode(() -> Compression.of(codec)).as(codec.label()).doesNotThrowAnyException();
        }
    }
}
