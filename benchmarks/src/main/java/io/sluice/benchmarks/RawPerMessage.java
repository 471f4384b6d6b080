package io.sluice.benchmarks;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.encoder.EncoderJNI;
import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A codec's own streaming API called directly, one message at a time, the way an interactive peer must use it:
 * each chunk is compressed and flushed into its own piece of one stream (as it would go on the wire), and the
 * receiver decodes each piece as it arrives, draining every byte it yields before taking the next piece. This is
 * the same work the {@link io.sluice.filters.compression.Compression} filter does per message, without the filter,
 * the buffers and the transport; {@link RawCodec} decodes the whole stream at once instead, which no receiver of
 * live messages can do.
 */
interface RawPerMessage {

    int SCRATCH = 16 * 1024;

    /** One piece per chunk, each flushed so that it decodes on its own; the stream's end is one more piece. */
    List<byte[]> compress(List<byte[]> chunks) throws IOException;

    /** Decodes {@code pieces} one by one in order; returns how many bytes came out. */
    long decompress(List<byte[]> pieces) throws IOException;

    static RawPerMessage of(String codec, int level) {
        return switch (codec) {
            case "deflate" -> new Zlib(level, false);
            case "deflate-raw" -> new Zlib(level, true);
            case "gzip" -> new Gzip(level);
            case "brotli" -> new Brotli(level);
            case "zstd" -> new Zstd(level);
            default -> throw new IllegalArgumentException("no per-message raw codec for '" + codec + "'");
        };
    }

    /** Deflate on {@link Deflater}/{@link Inflater}, sync-flushed per chunk. */
    final class Zlib implements RawPerMessage {
        private final int level;
        private final boolean nowrap;

        Zlib(int level, boolean nowrap) {
            this.level = level;
            this.nowrap = nowrap;
        }

        @Override
        public List<byte[]> compress(List<byte[]> chunks) {
            Deflater deflater = new Deflater(level, nowrap);
            try {
                List<byte[]> pieces = new ArrayList<>(chunks.size() + 1);
                byte[] scratch = new byte[SCRATCH];
                for (byte[] chunk : chunks) {
                    pieces.add(deflate(deflater, chunk, scratch));
                }
                pieces.add(finish(deflater, scratch));
                return pieces;
            } finally {
                deflater.end();
            }
        }

        @Override
        public long decompress(List<byte[]> pieces) throws IOException {
            Inflater inflater = new Inflater(nowrap);
            try {
                byte[] scratch = new byte[SCRATCH];
                long out = 0;
                for (byte[] piece : pieces) {
                    out += inflate(inflater, piece, 0, scratch, null);
                }
                if (!inflater.finished()) {
                    throw new IOException("truncated deflate stream");
                }
                return out;
            } finally {
                inflater.end();
            }
        }
    }

    /** Gzip as the JDK builds it: a header, raw deflate sync-flushed per chunk, CRC-32 and size at the end. */
    final class Gzip implements RawPerMessage {
        private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        private final int level;

        Gzip(int level) {
            this.level = level;
        }

        @Override
        public List<byte[]> compress(List<byte[]> chunks) {
            Deflater deflater = new Deflater(level, true);
            CRC32 crc = new CRC32();
            try {
                List<byte[]> pieces = new ArrayList<>(chunks.size() + 2);
                pieces.add(HEADER.clone());
                byte[] scratch = new byte[SCRATCH];
                for (byte[] chunk : chunks) {
                    crc.update(chunk);
                    pieces.add(deflate(deflater, chunk, scratch));
                }
                ByteArrayOutputStream end = new ByteArrayOutputStream();
                end.writeBytes(finish(deflater, scratch));
                writeIntLe(end, (int) crc.getValue());
                writeIntLe(end, (int) deflater.getBytesRead());
                pieces.add(end.toByteArray());
                return pieces;
            } finally {
                deflater.end();
            }
        }

        @Override
        public long decompress(List<byte[]> pieces) throws IOException {
            Inflater inflater = new Inflater(true);
            CRC32 crc = new CRC32();
            try {
                byte[] scratch = new byte[SCRATCH];
                long out = 0;
                int skip = HEADER.length; // the header this class writes; the filter parses any header
                for (byte[] piece : pieces) {
                    int from = Math.min(skip, piece.length);
                    skip -= from;
                    if (inflater.finished()) {
                        break;
                    }
                    out += inflate(inflater, piece, from, scratch, crc);
                }
                if (!inflater.finished()) {
                    throw new IOException("truncated gzip stream");
                }
                byte[] last = pieces.get(pieces.size() - 1);
                int at = last.length - 8;
                if (readIntLe(last, at) != (int) crc.getValue() || readIntLe(last, at + 4) != (int) out) {
                    throw new IOException("gzip trailer does not match");
                }
                return out;
            } finally {
                inflater.end();
            }
        }

        private static void writeIntLe(ByteArrayOutputStream out, int v) {
            out.write(v);
            out.write(v >>> 8);
            out.write(v >>> 16);
            out.write(v >>> 24);
        }

        private static int readIntLe(byte[] b, int at) {
            return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
        }
    }

    /** Brotli4j's JNI wrappers, as the filter uses them: PROCESS then FLUSH per chunk. */
    final class Brotli implements RawPerMessage {
        private static final int WINDOW = 22;
        private final int level;

        Brotli(int level) {
            Brotli4jLoader.ensureAvailability();
            this.level = level;
        }

        @Override
        public List<byte[]> compress(List<byte[]> chunks) throws IOException {
            EncoderJNI.Wrapper brotli = new EncoderJNI.Wrapper(SCRATCH, level, WINDOW, null);
            try {
                ByteBuffer input = brotli.getInputBuffer();
                List<byte[]> pieces = new ArrayList<>(chunks.size() + 1);
                ByteArrayOutputStream piece = new ByteArrayOutputStream();
                for (byte[] chunk : chunks) {
                    for (int at = 0; at < chunk.length; ) {
                        int n = Math.min(chunk.length - at, input.capacity());
                        input.clear();
                        input.put(chunk, at, n);
                        at += n;
                        brotli.push(EncoderJNI.Operation.PROCESS, n);
                        drain(brotli, EncoderJNI.Operation.PROCESS, piece);
                    }
                    brotli.push(EncoderJNI.Operation.FLUSH, 0);
                    drain(brotli, EncoderJNI.Operation.FLUSH, piece);
                    pieces.add(piece.toByteArray());
                    piece.reset();
                }
                brotli.push(EncoderJNI.Operation.FINISH, 0);
                drain(brotli, EncoderJNI.Operation.FINISH, piece);
                pieces.add(piece.toByteArray());
                return pieces;
            } finally {
                brotli.destroy();
            }
        }

        private static void drain(EncoderJNI.Wrapper brotli, EncoderJNI.Operation op, ByteArrayOutputStream out)
                throws IOException {
            for (;;) {
                if (!brotli.isSuccess()) {
                    throw new IOException("brotli encoder failed");
                }
                if (brotli.hasMoreOutput()) {
                    ByteBuffer view = brotli.pull();
                    byte[] bytes = new byte[view.remaining()];
                    view.get(bytes);
                    out.writeBytes(bytes);
                } else if (brotli.hasRemainingInput()) {
                    brotli.push(op, 0);
                } else {
                    return;
                }
            }
        }

        @Override
        public long decompress(List<byte[]> pieces) throws IOException {
            DecoderJNI.Wrapper brotli = new DecoderJNI.Wrapper(SCRATCH);
            try {
                ByteBuffer input = brotli.getInputBuffer();
                byte[] scratch = new byte[SCRATCH];
                long out = 0;
                for (byte[] piece : pieces) {
                    int at = 0;
                    for (;;) {
                        DecoderJNI.Status status = brotli.getStatus();
                        if (status == DecoderJNI.Status.ERROR) {
                            throw new IOException("corrupt brotli stream");
                        }
                        if (brotli.hasOutput() || status == DecoderJNI.Status.NEEDS_MORE_OUTPUT) {
                            ByteBuffer view = brotli.pull();
                            while (view.hasRemaining()) {
                                int n = Math.min(view.remaining(), scratch.length);
                                view.get(scratch, 0, n);
                                out += n;
                            }
                        } else if (status == DecoderJNI.Status.OK) {
                            brotli.push(0);
                        } else if (status == DecoderJNI.Status.DONE || at == piece.length) {
                            break;
                        } else {
                            int n = Math.min(piece.length - at, input.capacity());
                            input.clear();
                            input.put(piece, at, n);
                            at += n;
                            brotli.push(n);
                        }
                    }
                }
                if (brotli.getStatus() != DecoderJNI.Status.DONE) {
                    throw new IOException("truncated brotli stream");
                }
                return out;
            } finally {
                brotli.destroy();
            }
        }
    }

    /** zstd-jni's streaming contexts on direct buffers, as the filter uses them: one flushed call per chunk. */
    final class Zstd implements RawPerMessage {
        private final int level;

        Zstd(int level) {
            this.level = level;
        }

        @Override
        public List<byte[]> compress(List<byte[]> chunks) {
            try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
                ctx.setLevel(level);
                ctx.setChecksum(true);
                ByteBuffer src = ByteBuffer.allocateDirect(SCRATCH);
                ByteBuffer dst = ByteBuffer.allocateDirect(2 * SCRATCH);
                List<byte[]> pieces = new ArrayList<>(chunks.size() + 1);
                ByteArrayOutputStream piece = new ByteArrayOutputStream();
                for (byte[] chunk : chunks) {
                    for (int at = 0; at < chunk.length; ) {
                        int n = Math.min(chunk.length - at, src.capacity());
                        src.clear();
                        src.put(chunk, at, n).flip();
                        at += n;
                        drive(ctx, src, dst, at < chunk.length ? EndDirective.CONTINUE : EndDirective.FLUSH, piece);
                    }
                    pieces.add(piece.toByteArray());
                    piece.reset();
                }
                src.clear().flip();
                drive(ctx, src, dst, EndDirective.END, piece);
                pieces.add(piece.toByteArray());
                return pieces;
            }
        }

        private static void drive(ZstdCompressCtx ctx, ByteBuffer src, ByteBuffer dst, EndDirective directive,
                ByteArrayOutputStream out) {
            for (;;) {
                dst.clear();
                boolean done = ctx.compressDirectByteBufferStream(dst, src, directive);
                dst.flip();
                byte[] bytes = new byte[dst.remaining()];
                dst.get(bytes);
                out.writeBytes(bytes);
                if (directive == EndDirective.CONTINUE ? !src.hasRemaining() : done) {
                    return;
                }
            }
        }

        @Override
        public long decompress(List<byte[]> pieces) throws IOException {
            try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
                ByteBuffer src = ByteBuffer.allocateDirect(SCRATCH);
                ByteBuffer dst = ByteBuffer.allocateDirect(SCRATCH);
                byte[] scratch = new byte[SCRATCH];
                long out = 0;
                boolean frameDone = false;
                for (byte[] piece : pieces) {
                    for (int at = 0; at < piece.length; ) {
                        int n = Math.min(piece.length - at, src.capacity());
                        src.clear();
                        src.put(piece, at, n).flip();
                        at += n;
                        boolean full;
                        do {
                            dst.clear();
                            frameDone = ctx.decompressDirectByteBufferStream(dst, src);
                            full = !dst.hasRemaining(); // zstd flushed all it could when it left room
                            dst.flip();
                            int got = dst.remaining();
                            dst.get(scratch, 0, got);
                            out += got;
                        } while (src.hasRemaining() || full);
                    }
                }
                if (!frameDone) {
                    throw new IOException("truncated zstd stream");
                }
                return out;
            }
        }
    }

    /** Deflates {@code chunk} with a sync flush; returns the bytes this produced. */
    private static byte[] deflate(Deflater deflater, byte[] chunk, byte[] scratch) {
        deflater.setInput(chunk);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, chunk.length / 2));
        int n;
        // A sync flush is complete when it leaves room in the output: a full scratch may hide more.
        do {
            n = deflater.deflate(scratch, 0, scratch.length, Deflater.SYNC_FLUSH);
            out.write(scratch, 0, n);
        } while (n == scratch.length);
        return out.toByteArray();
    }

    private static byte[] finish(Deflater deflater, byte[] scratch) {
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!deflater.finished()) {
            out.write(scratch, 0, deflater.deflate(scratch));
        }
        return out.toByteArray();
    }

    /** Inflates {@code piece} from {@code from} until the inflater wants more input; returns the bytes it yielded. */
    private static long inflate(Inflater inflater, byte[] piece, int from, byte[] scratch, CRC32 crc)
            throws IOException {
        inflater.setInput(piece, from, piece.length - from);
        long out = 0;
        try {
            for (;;) {
                int n = inflater.inflate(scratch);
                if (crc != null) {
                    crc.update(scratch, 0, n);
                }
                out += n;
                if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                    return out;
                }
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
    }
}
