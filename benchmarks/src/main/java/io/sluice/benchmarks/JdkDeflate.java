package io.sluice.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Deflate (zlib-wrapped, or bare with {@code nowrap}) on {@link Deflater} and {@link Inflater} directly. */
final class JdkDeflate implements RawCodec {

    private static final int SCRATCH = 16 * 1024;

    private final int level;
    private final boolean nowrap;

    JdkDeflate(int level, boolean nowrap) {
        this.level = level;
        this.nowrap = nowrap;
    }

    @Override
    public byte[] compress(List<byte[]> chunks) {
        Deflater deflater = new Deflater(level, nowrap);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] scratch = new byte[SCRATCH];
            for (byte[] chunk : chunks) {
                deflater.setInput(chunk);
                int n;
                // A sync flush is complete when it leaves room in the output: a full scratch may hide more.
                do {
                    n = deflater.deflate(scratch, 0, scratch.length, Deflater.SYNC_FLUSH);
                    out.write(scratch, 0, n);
                } while (n == scratch.length);
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.write(scratch, 0, deflater.deflate(scratch));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    @Override
    public long decompress(byte[] stream) throws IOException {
        Inflater inflater = new Inflater(nowrap);
        try {
            inflater.setInput(stream);
            byte[] scratch = new byte[SCRATCH];
            long out = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(scratch);
                if (n == 0 && inflater.needsInput()) {
                    throw new IOException("truncated deflate stream");
                }
                out += n;
            }
            return out;
        } catch (DataFormatException e) {
            throw new IOException(e);
        } finally {
            inflater.end();
        }
    }
}
