package io.sluice.filters.compression;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * zstd compression with zstd-jni's streaming {@link ZstdCompressCtx}: one frame per stream, flushed with
 * {@code ZSTD_e_flush} and ended with {@code ZSTD_e_end}, content checksum on. The native context is freed in
 * {@link #close()}.
 */
final class ZstdEncoder implements Encoder {

    /** zstd's levels 20-22 would pick windows up to 128 MiB; a connection's stream is capped at the decoders' default. */
    static final int DEFAULT_WINDOW_LOG_MAX = 23;

    private final ZstdCompressCtx ctx;
    private final ByteBufAllocator alloc;
    private final int chunk;
    /** Frame header (at most 18), a block header (3) and the checksum (4) around a flushed block, rounded up. */
    private static final int FLUSH_OVERHEAD = 32;

    ZstdEncoder(int level, int windowLog, ByteBufAllocator alloc, int chunk) {
        this.alloc = alloc;
        this.chunk = Math.min(chunk, Scratch.MAX);
        ZstdCompressCtx c = new ZstdCompressCtx();
        try {
            c.setLevel(level);
            c.setChecksum(true);
            if (windowLog != 0) {
                c.setWindowLog(windowLog);
            } else if (level >= 20) {
                c.setWindowLog(DEFAULT_WINDOW_LOG_MAX);
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        this.ctx = c;
    }

    @Override
    public void encode(ByteBuf in, boolean flush, Consumer<ByteBuf> out) {
        try {
            // With flush, the input goes in with ZSTD_e_flush: one native call per buffer instead of two.
            EndDirective directive = flush ? EndDirective.FLUSH : EndDirective.CONTINUE;
            if (!in.isReadable()) {
                if (flush) {
                    flush(out);
                }
            } else if (in.isDirect() && in.nioBufferCount() == 1) {
                // zstd reads a direct buffer in place: no copy through the scratch buffer.
                drive(in.internalNioBuffer(in.readerIndex(), in.readableBytes()), directive, out);
            } else {
                ByteBuffer src = DirectScratch.get().input();
                while (in.isReadable()) {
                    src.clear().limit(Math.min(in.readableBytes(), src.capacity()));
                    in.readBytes(src);
                    src.flip();
                    drive(src, in.isReadable() ? EndDirective.CONTINUE : directive, out);
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void flush(Consumer<ByteBuf> out) {
        drive(DirectScratch.NO_INPUT, EndDirective.FLUSH, out);
    }

    @Override
    public void finish(Consumer<ByteBuf> out) {
        drive(DirectScratch.NO_INPUT, EndDirective.END, out);
    }

    /**
     * Native calls until {@code src} is consumed and, for a flush or end, everything is written out. Output goes
     * straight into buffers sized from zstd's bound for the input, so that it is not copied again and a small
     * message costs a small buffer; if one fills, the next call continues in another.
     */
    private void drive(ByteBuffer src, EndDirective directive, Consumer<ByteBuf> out) {
        for (;;) {
            int size = (int) Math.min(chunk, compressBound(src.remaining()) + FLUSH_OVERHEAD);
            ByteBuf buf = alloc.directBuffer(size, size);
            boolean done;
            try {
                ByteBuffer dst = buf.internalNioBuffer(0, size); // may be a window on a larger pooled region
                int start = dst.position();
                done = ctx.compressDirectByteBufferStream(dst, src, directive);
                buf.writerIndex(dst.position() - start);
            } catch (RuntimeException e) {
                buf.release();
                throw e;
            }
            if (buf.isReadable()) {
                out.accept(buf);
            } else {
                buf.release();
            }
            if (directive == EndDirective.CONTINUE ? !src.hasRemaining() : done) {
                return;
            }
        }
    }

    /** ZSTD_COMPRESSBOUND from zstd.h, computed here rather than with a native call per buffer. */
    static long compressBound(long n) {
        long margin = n < (128 << 10) ? ((128 << 10) - n) >> 11 : 0;
        return n + (n >> 8) + margin;
    }

    @Override
    public void close() {
        ctx.close();
    }
}
