package io.sluice.filters.compression;

import static io.sluice.filters.compression.CompressedPipe.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class FlushTest {

    private static final byte[] SYNC_FLUSH_MARKER = {0, 0, (byte) 0xff, (byte) 0xff};

    @Test
    void eachOutboundBufferIsDecodableAtOnceForEveryCodec() {
        for (Codec codec : Codec.values()) {
            Pipe pipe = TrackedPipes.create();
            Connection sender = Compression.of(codec).apply(pipe.left());
            Connection receiver = Compression.of(codec).apply(pipe.right());
            CopyOnWriteArrayList<String> got = new CopyOnWriteArrayList<>();
            Disposable reading = receiver.receive().subscribe(b -> got.add(text(b)));
            // The send never completes: only the per-buffer flush can make "hello" reach the receiver.
            Disposable sending = sender.send(Flux.concat(Mono.just(buffer(sender, "hello")), Mono.never()))
                    .subscribe(null, e -> { });
            await(() -> String.join("", got).equals("hello"), codec + ": hello decoded before the send ends");
            reading.dispose(); // first: the cancelled send breaks the stream, which a reader would see truncated
            sending.dispose();
            CompressedPipe.closeAndAwait(pipe);
        }
    }

    @Test
    void flushEveryBytesHoldsSmallBuffersBackUntilEnoughIsPending() {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(CompressionOptions.builder(Codec.DEFLATE).flushEveryBytes(1000).build())
                .apply(pipe.left());
        Connection receiver = Compression.of(Codec.DEFLATE).apply(pipe.right());
        CopyOnWriteArrayList<String> got = new CopyOnWriteArrayList<>();
        Disposable reading = receiver.receive().subscribe(b -> got.add(text(b)));
        // The large buffer waits for the test's word, not for a timer: the check that nothing arrived before it
        // must not race it.
        Sinks.Empty<Void> sendTheRest = Sinks.empty();
        CountDownLatch smallHandedOver = new CountDownLatch(1);
        Disposable sending = sender.send(Flux.concat(
                Mono.just(buffer(sender, "small")),
                sendTheRest.asMono().doOnSubscribe(s -> smallHandedOver.countDown()).then(Mono.<ByteBuf>empty()),
                Mono.fromSupplier(() -> buffer(sender, "x".repeat(1000))), Mono.never()))
                .subscribe(null, e -> { });
        await(() -> smallHandedOver.getCount() == 0, "the small buffer handed to the compressor");
        Mono.delay(Duration.ofMillis(200)).block(); // time for a wrong flush to reach the receiver
        assertThat(got).as("5 bytes pending, under the 1000-byte flush threshold").isEmpty();
        sendTheRest.tryEmitEmpty();
        await(() -> String.join("", got).length() == 1005, "flushed once 1005 bytes were pending");
        reading.dispose(); // first: the cancelled send breaks the stream, which a reader would see truncated
        sending.dispose();
        CompressedPipe.closeAndAwait(pipe);
    }

    /** The end of a send flushes only what the per-buffer flushes have not: one marker for one buffer. */
    @Test
    void aSendOfOneBufferEndsWithASingleFlushMarker() {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(Codec.DEFLATE_RAW).apply(pipe.left());
        Mono<byte[]> wire = CompressedPipe.gather(pipe.right().receive()).cache();
        wire.subscribe(null, e -> { });
        sender.send(Mono.just(buffer(sender, "one message"))).block(TIMEOUT);
        pipe.left().close();
        byte[] bytes = wire.block(TIMEOUT);
        assertThat(occurrences(bytes, SYNC_FLUSH_MARKER)).isEqualTo(1);
        CompressedPipe.closeAndAwait(pipe);
    }

    /**
     * Buffers emitted together go through the codec as one run with one flush at its end, not one flush each, and
     * the peer still has every byte before the send ends.
     */
    @Test
    void buffersQueuedTogetherShareOneFlushAndAreAllDecodableAtOnce() {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(Codec.DEFLATE_RAW).apply(pipe.left());
        Connection receiver = Compression.of(Codec.DEFLATE_RAW).apply(pipe.right());
        CopyOnWriteArrayList<String> got = new CopyOnWriteArrayList<>();
        Disposable reading = receiver.receive().subscribe(b -> got.add(text(b)));
        Disposable sending = sender.send(Flux.concat(
                        Flux.range(0, 10).map(i -> buffer(sender, "message " + i + ";")), Mono.never()))
                .subscribe(null, e -> { });
        String all = String.join("", java.util.stream.IntStream.range(0, 10).mapToObj(i -> "message " + i + ";")
                .toList());
        await(() -> String.join("", got).equals(all), "all ten decoded while the send is still open");
        reading.dispose(); // first: the cancelled send breaks the stream, which a reader would see truncated
        sending.dispose();
        CompressedPipe.closeAndAwait(pipe);

        // The same burst, on the wire: one sync-flush marker for the ten buffers.
        Pipe wirePipe = TrackedPipes.create();
        Connection wireSender = Compression.of(Codec.DEFLATE_RAW).apply(wirePipe.left());
        Mono<byte[]> wire = CompressedPipe.gather(wirePipe.right().receive()).cache();
        wire.subscribe(null, e -> { });
        wireSender.send(Flux.range(0, 10).map(i -> buffer(wireSender, "message " + i + ";"))).block(TIMEOUT);
        wirePipe.left().close();
        assertThat(occurrences(wire.block(TIMEOUT), SYNC_FLUSH_MARKER)).as("sync flushes for a burst of ten buffers")
                .isEqualTo(1);
        CompressedPipe.closeAndAwait(wirePipe);
    }

    /** A run is cut at 64 KiB of input, so a large backlog still goes out in steady pieces. */
    @Test
    void aLongBurstIsFlushedInRunsOfBoundedSize() {
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(Codec.DEFLATE_RAW).apply(pipe.left());
        Mono<byte[]> wire = CompressedPipe.gather(pipe.right().receive()).cache();
        wire.subscribe(null, e -> { });
        int buffers = 4 * CompressingFlux.MAX_RUN_BYTES / 4096;
        sender.send(Flux.range(0, buffers).map(i -> buffer(sender, String.valueOf((char) ('a' + i % 26)).repeat(4096))))
                .block(TIMEOUT);
        pipe.left().close();
        assertThat(occurrences(wire.block(TIMEOUT), SYNC_FLUSH_MARKER)).isBetween(4, buffers - 1);
        CompressedPipe.closeAndAwait(pipe);
    }

    private static int occurrences(byte[] haystack, byte[] needle) {
        int count = 0;
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            Mono.delay(Duration.ofMillis(5)).block();
        }
    }

    private static ByteBuf buffer(Connection c, String s) {
        return CompressedPipe.buffer(c, s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }
}
