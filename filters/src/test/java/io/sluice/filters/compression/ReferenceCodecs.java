package io.sluice.filters.compression;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Compressed bytes made by the JDK's own stream classes, independent of the code under test. */
final class ReferenceCodecs {

    private ReferenceCodecs() {
    }

    /** {@code data} compressed whole by the JDK in {@code codec}'s format. */
    static byte[] compress(Codec codec, byte[] data) {
        return switch (codec) {
            case DEFLATE -> deflate(data, false);
            case DEFLATE_RAW -> deflate(data, true);
            case GZIP -> gzip(data);
            default -> throw new IllegalArgumentException("no JDK reference for " + codec);
        };
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) {
        Deflater deflater = new Deflater(6, raw);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                bytes.write(chunk, 0, deflater.deflate(chunk));
            }
            return bytes.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Bytes that compress a little, as text does, generated reproducibly from {@code seed}. */
    static byte[] text(int length, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) ('a' + random.nextInt(20));
        }
        return data;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
