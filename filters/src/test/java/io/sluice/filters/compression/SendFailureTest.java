package io.sluice.filters.compression;

import static io.sluice.filters.compression.CompressedPipe.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class SendFailureTest {

    /**
     * Regression: a send whose data failed midway dropped compressed output the encoder had already produced, so
     * the peer got a broken stream (for gzip, one starting with stray bytes). Now that output is written and
     * flushed, the send fails, and later sends continue the same, still valid, stream.
     */
    @Test
    void aFailedSendLeavesTheStreamWholeForLaterSends() throws IOException {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(Codec.GZIP).apply(pipe.left());
        Mono<byte[]> wire = CompressedPipe.gather(pipe.right().receive()).cache();
        wire.subscribe(null, e -> { });

        Flux<ByteBuf> failing = Flux.just("aaa", "bbb", "ccc").map(s -> text(sender, s))
                .concatWith(Mono.error(new IOException("the application's data failed")));
        StepVerifier.create(sender.send(failing))
                .expectErrorMessage("the application's data failed")
                .verify(TIMEOUT);
        sender.send(Mono.just(text(sender, "ok"))).block(TIMEOUT);
        sender.close();

        byte[] compressed = wire.block(TIMEOUT);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("aaabbbcccok");
        }
        CompressedPipe.closeAndAwait(pipe);
    }

    private static ByteBuf text(Connection c, String s) {
        return c.budget().allocator().buffer().writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
