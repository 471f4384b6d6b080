package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.CompressionOptions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark's three paths (filter, raw stream, raw per message) each return every byte of the corpus. */
class CompressionBaselinesTest {

    @ParameterizedTest
    @ValueSource(strings = {"deflate", "deflate-raw", "gzip", "brotli", "zstd"})
    void everyPathRoundTripsTheChatCorpus(String codec) throws Exception {
        List<byte[]> chunks = Corpus.CHAT.chunks().subList(0, 500);
        long total = Corpus.totalBytes(chunks);
        int level = CompressionBenchmark.level(codec, "default");

        RawPerMessage perMessage = RawPerMessage.of(codec, level);
        List<byte[]> pieces = perMessage.compress(chunks);
        assertThat(pieces).hasSize(chunks.size() + (codec.equals("gzip") ? 2 : 1));
        assertThat(perMessage.decompress(pieces)).isEqualTo(total);

        RawCodec raw = RawCodec.of(codec, level);
        assertThat(raw.decompress(raw.compress(chunks))).isEqualTo(total);

        CompressionOptions options = CompressionOptions.builder(Codec.of(codec)).level(level).build();
        assertThat(FilterRoundTrip.roundTrip(options, chunks)).isEqualTo(total);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deflate", "gzip", "brotli", "zstd"})
    void perMessagePiecesDecodeOneAtATimeOnTheLogCorpus(String codec) throws Exception {
        List<byte[]> chunks = Corpus.LOG.chunks();
        RawPerMessage perMessage = RawPerMessage.of(codec, CompressionBenchmark.level(codec, "fast"));
        assertThat(perMessage.decompress(perMessage.compress(chunks))).isEqualTo(Corpus.totalBytes(chunks));
    }
}
