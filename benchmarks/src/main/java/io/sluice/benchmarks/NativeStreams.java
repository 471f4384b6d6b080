package io.sluice.benchmarks;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** Brotli (Brotli4j) and zstd (zstd-jni) through their libraries' streams, flushed per chunk. */
final class NativeStreams {

    private static final int SCRATCH = 16 * 1024;

    private NativeStreams() {
    }

    private static byte[] compress(List<byte[]> chunks, OutputStream compressor, ByteArrayOutputStream sink)
            throws IOException {
        try (compressor) {
            for (byte[] chunk : chunks) {
                compressor.write(chunk);
                compressor.flush();
            }
        }
        return sink.toByteArray();
    }

    private static long drain(InputStream decompressor) throws IOException {
        try (decompressor) {
            byte[] scratch = new byte[SCRATCH];
            long out = 0;
            for (int n; (n = decompressor.read(scratch)) >= 0; ) {
                out += n;
            }
            return out;
        }
    }

    static final class Brotli implements RawCodec {
        private final Encoder.Parameters parameters;

        Brotli(int level) {
            Brotli4jLoader.ensureAvailability();
            this.parameters = new Encoder.Parameters().setQuality(level);
        }

        @Override
        public byte[] compress(List<byte[]> chunks) throws IOException {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            return NativeStreams.compress(chunks, new BrotliOutputStream(sink, parameters, SCRATCH), sink);
        }

        @Override
        public long decompress(byte[] stream) throws IOException {
            return drain(new BrotliInputStream(new ByteArrayInputStream(stream), SCRATCH));
        }
    }

    static final class Zstd implements RawCodec {
        private final int level;

        Zstd(int level) {
            this.level = level;
        }

        @Override
        public byte[] compress(List<byte[]> chunks) throws IOException {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            return NativeStreams.compress(chunks, new ZstdOutputStream(sink, level), sink);
        }

        @Override
        public long decompress(byte[] stream) throws IOException {
            return drain(new ZstdInputStream(new ByteArrayInputStream(stream)));
        }
    }
}
