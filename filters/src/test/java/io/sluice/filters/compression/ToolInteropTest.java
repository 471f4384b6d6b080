package io.sluice.filters.compression;

import static io.sluice.filters.compression.CompressedPipe.TIMEOUT;
import static io.sluice.filters.compression.CompressedPipe.buffer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.RandomChunking;
import io.sluice.test.TrackedPipes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Our streams against gzip(1) and pigz, which nobody here wrote: each decodes what the other encodes. */
class ToolInteropTest {

    private static final byte[] DATA = ReferenceCodecs.text(300_000, 11);

    /** What our encoder writes for DATA sent in pieces (each flushed), then closed: the bytes on the wire. */
    private static byte[] encodedByUs(Codec codec) {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(codec).apply(pipe.left());
        Mono<byte[]> wire = CompressedPipe.gather(pipe.right().receive()).cache();
        wire.subscribe();
        sender.send(Flux.range(0, 30).map(i -> buffer(sender, Arrays.copyOfRange(DATA, i * 10_000, (i + 1) * 10_000))))
                .block(TIMEOUT);
        sender.close();
        byte[] bytes = wire.block(TIMEOUT);
        CompressedPipe.closeAndAwait(pipe);
        return bytes;
    }

    private static byte[] decodedByUs(Codec codec, byte[] wire) {
        return PeerBytes.decode(codec, RandomChunking.seeded(wire.length, 4096), wire);
    }

    @Test
    void gzipDecompressesOurGzipStream() throws Exception {
        assertThat(ExternalTool.gzip().run(encodedByUs(Codec.GZIP), "-d", "-c")).isEqualTo(DATA);
    }

    @Test
    void pigzDecompressesOurGzipStream() throws Exception {
        assertThat(ExternalTool.pigz().run(encodedByUs(Codec.GZIP), "-d", "-c")).isEqualTo(DATA);
    }

    @Test
    void gzipDecompressesTheEmptyGzipStreamOfAConnectionThatSentNothing() throws Exception {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(Codec.GZIP).apply(pipe.left());
        Mono<byte[]> wire = CompressedPipe.gather(pipe.right().receive()).cache();
        wire.subscribe();
        sender.close();
        byte[] bytes = wire.block(TIMEOUT);
        CompressedPipe.closeAndAwait(pipe);
        assertThat(ExternalTool.gzip().run(bytes, "-d", "-c")).isEmpty();
    }

    @Test
    void weDecompressGzipOutput() throws Exception {
        byte[] wire = ExternalTool.gzip().run(DATA, "-c");
        assertThat(decodedByUs(Codec.GZIP, wire)).isEqualTo(DATA);
    }

    @Test
    void weDecompressPigzOutputWithSmallBlocksOnFourThreads() throws Exception {
        byte[] wire = ExternalTool.pigz().run(DATA, "-c", "-b", "32", "-p", "4");
        assertThat(decodedByUs(Codec.GZIP, wire)).isEqualTo(DATA);
    }

    @Test
    void weDecompressConcatenatedGzipAndPigzMembersEverySplit() throws Exception {
        byte[] first = Arrays.copyOfRange(DATA, 0, 1000);
        byte[] second = Arrays.copyOfRange(DATA, 1000, 2500);
        byte[] wire = ReferenceCodecs.concat(ExternalTool.gzip().run(first, "-c", "-9"),
                ExternalTool.pigz().run(second, "-c", "-1"));
        assertThat(PeerBytes.decode(Codec.GZIP, Chunking.everyByte(), wire))
                .isEqualTo(ReferenceCodecs.concat(first, second));
    }

    @Test
    void pigzDecompressesOurZlibStream() throws Exception {
        assertThat(ExternalTool.pigz().run(encodedByUs(Codec.DEFLATE), "-d", "-z", "-c")).isEqualTo(DATA);
    }

    @Test
    void weDecompressPigzZlibOutput() throws Exception {
        byte[] wire = ExternalTool.pigz().run(DATA, "-z", "-c", "-b", "32");
        assertThat(decodedByUs(Codec.DEFLATE, wire)).isEqualTo(DATA);
    }
}
