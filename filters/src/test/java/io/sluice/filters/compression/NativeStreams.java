package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Test data and stream plumbing shared by the native codec tests. */
final class NativeStreams {

    private static final String[] WORDS = {"sluice ", "gate ", "river ", "stream ", "buffer ", "owner ", "native ",
        "window ", "frame ", "flush ", "\n", "0123456789 ", "zstd ", "brotli "};

    private NativeStreams() {
    }

    /** Compressible text-like bytes, the same for the same seed. */
    static byte[] text(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
        while (out.size() < size) {
            out.writeBytes(WORDS[random.nextInt(WORDS.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (random.nextInt(8) == 0) {
                out.write(random.nextInt(256)); // some entropy, so that the codecs work for their output
            }
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, size);
    }

    static ByteBuf buffer(Connection c, byte[] bytes, int from, int to) {
        return c.budget().allocator().buffer(Math.max(1, to - from)).writeBytes(bytes, from, to - from);
    }

    /** Sends {@code bytes} in writes of {@code writeSize}, with an empty buffer between every two. */
    static Flux<ByteBuf> writes(Connection c, byte[] bytes, int writeSize) {
        return Flux.range(0, (bytes.length + writeSize - 1) / writeSize)
                .concatMap(i -> Flux.just(i, -1))
                .map(i -> i < 0 ? c.budget().allocator().buffer(0)
                        : buffer(c, bytes, i * writeSize, Math.min(bytes.length, (i + 1) * writeSize)));
    }

    /** Everything {@code c} receives until its inbound stream ends, each buffer released. */
    static Mono<byte[]> receiveAll(Connection c) {
        return c.receive().collect(ByteArrayOutputStream::new, (out, b) -> {
            try {
                out.writeBytes(bytes(b));
            } finally {
                b.release();
            }
        }).map(ByteArrayOutputStream::toByteArray);
    }

    static byte[] bytes(ByteBuf b) {
        byte[] bytes = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), bytes);
        return bytes;
    }

    /** Compresses {@code data} into one whole stream with our encoder, outside any connection. */
    static byte[] compress(CompressionOptions options, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Encoder encoder = options.codec().newEncoder(options, ByteBufAllocator.DEFAULT);
        try {
            encoder.encode(ByteBufAllocator.DEFAULT.heapBuffer(data.length).writeBytes(data), true, b -> take(b, out));
            encoder.finish(b -> take(b, out));
        } finally {
            encoder.close();
        }
        return out.toByteArray();
    }

    /** Appends {@code b}'s readable bytes to {@code out} and releases it. */
    static void take(ByteBuf b, ByteArrayOutputStream out) {
        try {
            out.writeBytes(bytes(b));
        } finally {
            b.release();
        }
    }

    /** A running CRC and count of a stream's bytes, for streams too large to hold. */
    static final class Digest {
        final CRC32 crc = new CRC32();
        long count;

        void update(ByteBuf b) {
            crc.update(b.nioBuffer());
            count += b.readableBytes();
        }

        void update(byte[] bytes) {
            crc.update(bytes);
            count += bytes.length;
        }
    }
}
