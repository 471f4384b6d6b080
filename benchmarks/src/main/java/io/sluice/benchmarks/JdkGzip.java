package io.sluice.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip through the JDK's own gzip streams (zlib underneath, as the filter's gzip codec); sync-flushed per chunk.
 * {@link GZIPOutputStream} has no level setting, so the level is set on its protected deflater.
 */
final class JdkGzip implements RawCodec {

    private static final int SCRATCH = 16 * 1024;

    private final int level;

    JdkGzip(int level) {
        this.level = level;
    }

    @Override
    public byte[] compress(List<byte[]> chunks) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new LeveledGzipStream(out, level)) {
            for (byte[] chunk : chunks) {
                gzip.write(chunk);
                gzip.flush();
            }
        }
        return out.toByteArray();
    }

    @Override
    public long decompress(byte[] stream) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stream), SCRATCH)) {
            byte[] scratch = new byte[SCRATCH];
            long out = 0;
            for (int n; (n = in.read(scratch)) >= 0; ) {
                out += n;
            }
            return out;
        }
    }

    private static final class LeveledGzipStream extends GZIPOutputStream {
        LeveledGzipStream(ByteArrayOutputStream out, int level) throws IOException {
            super(out, SCRATCH, true);
            def.setLevel(level);
        }
    }
}
