package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Well-formed compressed streams for the fuzz tests, made at random from a seed: an original (text, random bytes,
 * zeros or a mix, empty now and then) compressed by the codec's own encoder, as the filter's send path drives it (a
 * flush after each message, then the end), or by the JDK's stream classes for the zlib formats; gzip streams may
 * hold two members and zstd streams two frames, as {@code cat a.gz b.gz} and {@code zstd} make them, and zstd
 * frames may declare their content size, as one-shot compression writes them. Buffers used
 * while encoding are unpooled and released here.
 */
final class ValidStreams {

    /** A compressed stream and the bytes it decompresses to. */
    record Sample(byte[] original, byte[] compressed, String how) {
    }

    private ValidStreams() {
    }

    /** A stream of at most about {@code maxOriginal} original bytes. */
    static Sample sample(Codec codec, SplittableRandom random, int maxOriginal) {
        NativeLibraries.require(codec);
        byte[] original = original(random, maxOriginal);
        boolean twoParts = (codec == Codec.GZIP || codec == Codec.ZSTD) && random.nextInt(4) == 0;
        if (twoParts) {
            int cut = random.nextInt(original.length + 1);
            byte[] first = java.util.Arrays.copyOf(original, cut);
            byte[] second = java.util.Arrays.copyOfRange(original, cut, original.length);
            Sample a = oneStream(codec, random, first);
            Sample b = oneStream(codec, random, second);
            return new Sample(original, ReferenceCodecs.concat(a.compressed, b.compressed),
                    "two " + (codec == Codec.GZIP ? "members" : "frames") + " (" + a.how + "; " + b.how + ")");
        }
        return oneStream(codec, random, original);
    }

    private static Sample oneStream(Codec codec, SplittableRandom random, byte[] original) {
        boolean jdk = (codec == Codec.DEFLATE || codec == Codec.DEFLATE_RAW || codec == Codec.GZIP)
                && random.nextInt(3) == 0;
        if (jdk) {
            return new Sample(original, ReferenceCodecs.compress(codec, original), "the JDK's " + codec.label());
        }
        if (codec == Codec.ZSTD && random.nextInt(3) == 0) {
            // One-shot compression, as the zstd tool does for files: the frame header declares the content size.
            int level = 1 + random.nextInt(6);
            return new Sample(original, com.github.luben.zstd.Zstd.compress(original, level),
                    "zstd's one-shot level " + level);
        }
        CompressionOptions options = encoderOptions(codec, random);
        return new Sample(original, encode(options, random, original), "our " + options);
    }

    /** Levels cheap enough to run per input; windows as the options allow (the zstd decoder's default limit). */
    private static CompressionOptions encoderOptions(Codec codec, SplittableRandom random) {
        CompressionOptions.Builder b = CompressionOptions.builder(codec);
        switch (codec) {
            case DEFLATE, GZIP -> b.level(random.nextInt(10));
            case DEFLATE_RAW -> b.level(random.nextInt(10)).window(random.nextInt(4) == 0 ? 8 + random.nextInt(7) : 0);
            case BROTLI -> b.level(random.nextInt(7)).window(random.nextInt(3) == 0 ? 10 + random.nextInt(15) : 0);
            case ZSTD -> b.level(1 + random.nextInt(6)).window(random.nextInt(3) == 0 ? 10 + random.nextInt(14) : 0);
        }
        return b.build();
    }

    /** {@code original} in one to eight messages, each flushed, then the stream's end. */
    private static byte[] encode(CompressionOptions options, SplittableRandom random, byte[] original) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Consumer<ByteBuf> sink = b -> NativeStreams.take(b, out);
        Encoder encoder = options.codec().newEncoder(options, UnpooledByteBufAllocator.DEFAULT);
        try {
            int messages = 1 + random.nextInt(8);
            int at = 0;
            for (int m = 0; m < messages && at < original.length; m++) {
                int n = m == messages - 1 ? original.length - at : random.nextInt(original.length - at + 1);
                encoder.encode(Unpooled.wrappedBuffer(original, at, n), random.nextInt(4) != 0, sink);
                at += n;
            }
            if (at < original.length) {
                encoder.encode(Unpooled.wrappedBuffer(original, at, original.length - at), true, sink);
            }
            encoder.finish(sink);
        } finally {
            encoder.close();
        }
        return out.toByteArray();
    }


    /** Bytes to compress: compressible text, incompressible bytes, long runs of zeros, or all three. */
    static byte[] original(SplittableRandom random, int max) {
        int size = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(max);
        return switch (random.nextInt(4)) {
            case 0 -> NativeStreams.text(random.nextLong(), size);
            case 1 -> {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 2 -> new byte[size];
            default -> {
                ByteArrayOutputStream mix = new ByteArrayOutputStream();
                while (mix.size() < size) {
                    int n = Math.min(size - mix.size(), 1 + random.nextInt(2048));
                    byte[] part = switch (random.nextInt(3)) {
                        case 0 -> NativeStreams.text(random.nextLong(), n);
                        case 1 -> new byte[n];
                        default -> {
                            byte[] r = new byte[n];
                            random.nextBytes(r);
                            yield r;
                        }
                    };
                    mix.writeBytes(part);
                }
                yield mix.toByteArray();
            }
        };
    }
}
