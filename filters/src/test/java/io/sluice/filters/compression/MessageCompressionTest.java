package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.filters.framing.LengthFieldFraming;
import io.sluice.test.TrackedPipes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class MessageCompressionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static Filter stack(boolean contextTakeover, int threshold) {
        return LengthFieldFraming.builder().lengthFieldBytes(4).build()
                .then(MessageCompression.builder(CompressionOptions.builder(Codec.DEFLATE_RAW).build())
                        .threshold(threshold).contextTakeover(contextTakeover).build());
    }

    @Test
    void messagesKeepTheirBoundariesWithAndWithoutContextTakeover() {
        for (boolean takeover : new boolean[] {true, false}) {
            Pipe pipe = TrackedPipes.create(Chunking.everyByte());
            Connection client = stack(takeover, 8).apply(pipe.left());
            Connection server = stack(takeover, 8).apply(pipe.right());
            server.send(server.receive()).subscribe();
            List<String> sent = List.of("tiny", "a message long enough to be compressed",
                    "a message long enough to be compressed, again", "", "x".repeat(100_000));
            Mono<List<String>> echoed = client.receive().map(MessageCompressionTest::text).take(sent.size())
                    .collectList();
            client.send(Flux.fromIterable(sent).map(s -> buffer(client, s))).subscribe();
            StepVerifier.create(echoed).expectNext(sent).verifyComplete();
            pipe.close();
            Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
        }
    }

    @Test
    void smallMessagesGoStoredAndLargeOnesCompressed() {
        Pipe pipe = TrackedPipes.create();
        Filter framing = LengthFieldFraming.builder().lengthFieldBytes(4).build();
        Connection sender = framing.then(MessageCompression.builder(
                CompressionOptions.builder(Codec.DEFLATE_RAW).build()).threshold(64).build()).apply(pipe.left());
        Connection raw = framing.apply(pipe.right());
        Mono<List<Integer>> flags = raw.receive().map(b -> {
            int flag = b.getUnsignedByte(b.readerIndex());
            int size = b.readableBytes();
            b.release();
            return flag * 1_000_000 + size;
        }).take(2).collectList();
        sender.send(Flux.just("short", "z".repeat(1000)).map(s -> buffer(sender, s))).subscribe();
        StepVerifier.create(flags).assertNext(list -> {
            assertThat(list.get(0)).as("stored: flag 0, 1 + 5 bytes").isEqualTo(6);
            assertThat(list.get(1) / 1_000_000).as("compressed flag").isEqualTo(1);
            assertThat(list.get(1) % 1_000_000).as("compressed size").isLessThan(100);
        }).verifyComplete();
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    @Test
    void aMessageThatExpandsBeyondTheLimitClosesTheConnection() {
        Pipe pipe = TrackedPipes.create();
        Filter framing = LengthFieldFraming.builder().lengthFieldBytes(4).maxFrameLength(1 << 20).build();
        CompressionOptions deflate = CompressionOptions.builder(Codec.DEFLATE_RAW).build();
        Connection sender = framing.then(MessageCompression.builder(deflate).maxMessageSize(1 << 24).build())
                .apply(pipe.left());
        Connection receiver = framing.then(MessageCompression.builder(deflate).maxMessageSize(64 * 1024).build())
                .apply(pipe.right());
        sender.send(Mono.just(sender.budget().allocator().buffer(1 << 20).writeZero(1 << 20)))
                .onErrorResume(e -> Mono.empty()).subscribe();
        StepVerifier.create(receiver.receive().doOnNext(ByteBuf::release))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DecompressionLimitException.class)
                        .hasMessage("a deflate-raw message expands beyond the limit of 65536 bytes"))
                .verify(TIMEOUT);
        pipe.right().onClose().block(TIMEOUT);
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    @Test
    void anUnknownFlagIsBadInput() {
        Pipe pipe = TrackedPipes.create();
        Filter framing = LengthFieldFraming.builder().lengthFieldBytes(4).build();
        Connection receiver = framing.then(MessageCompression.builder(
                CompressionOptions.builder(Codec.DEFLATE_RAW).build()).build()).apply(pipe.right());
        Connection raw = framing.apply(pipe.left());
        raw.send(Mono.just(raw.budget().allocator().buffer().writeByte(7).writeByte(0))).subscribe();
        StepVerifier.create(receiver.receive().doOnNext(ByteBuf::release))
                .expectErrorMessage("unknown message flag 7 (0 stored, 1 compressed)")
                .verify(TIMEOUT);
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
