package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionClosedException;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class DeflateRoundTripTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void messagesRoundTripThroughCompressionOnBothEnds() {
        for (Codec codec : new Codec[] {Codec.DEFLATE, Codec.DEFLATE_RAW}) {
            Pipe pipe = TrackedPipes.create(Chunking.everyByte());
            Connection client = Compression.of(codec).apply(pipe.left());
            Connection server = Compression.of(codec).apply(pipe.right());
            CompletableFuture<Void> echo = server.send(server.receive()) // decompressed and compressed again
                    .onErrorResume(ConnectionClosedException.class, e -> Mono.empty()) // cut short by the close below
                    .toFuture();
            // A stream does not keep message boundaries: read until all the bytes are back.
            Mono<String> echoed = client.receive().map(DeflateRoundTripTest::text)
                    .scan("", String::concat)
                    .takeUntil(s -> s.length() >= "one two three".length())
                    .last();
            client.send(Flux.just("one ", "two ", "three").map(s -> buffer(client, s))).subscribe();
            StepVerifier.create(echoed).expectNext("one two three").verifyComplete();
            client.close(); // ends the compressed stream first, so that the server sees it whole
            assertThat(echo).as(codec + ": the echo ends with the connection").succeedsWithin(TIMEOUT);
            pipe.close();
            Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
        }
    }

    @Test
    void closeEndsTheStreamSoThatAStandardInflaterSeesAWholeOne() throws Exception {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(Codec.DEFLATE).apply(pipe.left());
        Mono<byte[]> raw = pipe.right().receive().reduce(new ByteArrayOutputStream(), (acc, b) -> {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            acc.writeBytes(bytes);
            return acc;
        }).map(ByteArrayOutputStream::toByteArray).cache();
        raw.subscribe();
        sender.send(Mono.just(buffer(sender, "hello, deflate"))).block(TIMEOUT);
        sender.close();
        byte[] compressed = raw.block(TIMEOUT);
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        inflater.setInput(compressed);
        byte[] out = new byte[64];
        int n = inflater.inflate(out);
        assertThat(inflater.finished()).isTrue();
        inflater.end();
        assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo("hello, deflate");
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    @Test
    void aBombIsStoppedAtTheRatioLimitWithoutExpandingIt() {
        byte[] zeros = new byte[64 * 1024 * 1024];
        Deflater deflater = new Deflater(9);
        deflater.setInput(zeros);
        deflater.finish();
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        while (!deflater.finished()) {
            bomb.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        Pipe pipe = TrackedPipes.create();
        Connection server = Compression.of(Codec.DEFLATE).apply(pipe.right());
        pipe.left().send(Mono.just(pipe.left().budget().allocator().buffer().writeBytes(bomb.toByteArray())))
                .subscribe();
        StepVerifier.create(server.receive().doOnNext(ByteBuf::release))
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DecompressionLimitException.class)
                        .hasMessageContaining("expands"))
                .verify(TIMEOUT);
        assertThat(pipe.right().budget().outstandingBytes()).isZero();
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    private static ByteBuf buffer(Connection c, String s) {
        return c.budget().allocator().buffer().writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }
}
