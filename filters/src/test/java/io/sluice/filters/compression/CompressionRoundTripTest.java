package io.sluice.filters.compression;

import static io.sluice.filters.compression.CompressedPipe.TIMEOUT;
import static io.sluice.filters.compression.CompressedPipe.buffer;
import static io.sluice.filters.compression.CompressedPipe.closeAndAwait;
import static io.sluice.filters.compression.CompressedPipe.gather;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.RandomChunking;
import io.sluice.test.TrackedPipes;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Data sent through the filter on one end comes out of the filter on the other end unchanged, however split. */
class CompressionRoundTripTest {

    private static final int MIB = 1024 * 1024;

    /** Sends {@code parts} compressed from left to right, closes the left, and returns what the right decoded. */
    private static byte[] roundTrip(Pipe pipe, Codec codec, byte[]... parts) {
        Connection sender = Compression.of(codec).apply(pipe.left());
        Connection receiver = Compression.of(codec).apply(pipe.right());
        Mono<byte[]> received = gather(receiver.receive()).cache();
        received.subscribe();
        sender.send(Flux.fromArray(parts).map(p -> buffer(sender, p))).block(TIMEOUT);
        sender.close();
        byte[] result = received.block(TIMEOUT);
        closeAndAwait(pipe);
        return result;
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void roundTripsWithEveryByteArrivingAsItsOwnRead(Codec codec) {
        byte[] data = ReferenceCodecs.text(5000, 1);
        byte[] out = roundTrip(TrackedPipes.create(Chunking.everyByte()), codec,
                Arrays.copyOfRange(data, 0, 1), Arrays.copyOfRange(data, 1, 1200), Arrays.copyOfRange(data, 1200, 5000));
        assertThat(out).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void roundTripsWithReadsSplitAtRandom(Codec codec) {
        for (long seed = 0; seed < 20; seed++) {
            byte[] data = ReferenceCodecs.text(20_000, seed);
            byte[] out = roundTrip(TrackedPipes.create(RandomChunking.seeded(seed, 300)), codec,
                    Arrays.copyOfRange(data, 0, 7000), Arrays.copyOfRange(data, 7000, 20_000));
            assertThat(out).as("seed %d", seed).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void emptyBuffersAmongDataChangeNothing(Codec codec) {
        byte[] out = roundTrip(TrackedPipes.create(Chunking.everyByte()), codec,
                new byte[0], "ab".getBytes(), new byte[0], new byte[0], "cd".getBytes(), new byte[0]);
        assertThat(out).isEqualTo("abcd".getBytes());
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void aStreamOfNoBytesIsAWholeStreamThatDecodesToNothing(Codec codec) {
        Pipe pipe = TrackedPipes.create(Chunking.everyByte());
        Connection sender = Compression.of(codec).apply(pipe.left());
        Mono<byte[]> wire = gather(pipe.right().receive()).cache();
        wire.subscribe();
        sender.close();
        byte[] compressed = wire.block(TIMEOUT);
        closeAndAwait(pipe);
        assertThat(compressed).as("the end of an empty stream is still written").isNotEmpty();

        Pipe second = TrackedPipes.create(Chunking.everyByte());
        Mono<byte[]> decoding = gather(Compression.of(codec).apply(second.right()).receive()).cache();
        decoding.subscribe();
        second.left().send(Mono.just(buffer(second.left(), compressed))).block(TIMEOUT);
        second.left().shutdownOutput();
        byte[] decoded = decoding.block(TIMEOUT);
        assertThat(decoded).isEmpty();
        closeAndAwait(second);
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void aConnectionClosedWithoutAnyBytesCompletesEmpty(Codec codec) {
        Pipe pipe = TrackedPipes.create();
        pipe.left().shutdownOutput();
        byte[] decoded = gather(Compression.of(codec).apply(pipe.right()).receive()).block(TIMEOUT);
        assertThat(decoded).isEmpty();
        closeAndAwait(pipe);
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void aStreamOf64MibIsStreamedThroughWithoutBeingHeld(Codec codec) {
        Pipe pipe = TrackedPipes.create(Chunking.atMost(8192));
        Connection sender = Compression.of(codec).apply(pipe.left());
        Connection receiver = Compression.of(codec).apply(pipe.right());
        long[] peak = new long[1];
        Mono<StreamDigest> received = CompressedPipe.digest(receiver.receive().doOnNext(b ->
                peak[0] = Math.max(peak[0], pipe.right().budget().outstandingBytes()))).cache();
        received.subscribe();
        StreamDigest sent = new StreamDigest();
        byte[] block = ReferenceCodecs.text(64 * 1024, 7);
        sender.send(Flux.range(0, 64 * MIB / block.length).map(i -> {
            block[i % block.length] ^= (byte) i.intValue(); // no two blocks alike, so the window cannot just repeat
            sent.update(block);
            return buffer(sender, block);
        })).block(TIMEOUT);
        sender.close();
        StreamDigest got = received.block(TIMEOUT);
        closeAndAwait(pipe);
        assertThat(got.count()).isEqualTo(64L * MIB);
        assertThat(got).isEqualTo(sent);
        assertThat(peak[0]).as("bytes the receiving end held at once").isLessThan(2L * MIB);
    }
}
