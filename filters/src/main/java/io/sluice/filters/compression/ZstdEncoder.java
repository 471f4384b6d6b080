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
            DirectScratch scratch = DirectScratch.get();
            while (in.isReadable()) {
                ByteBuffer src = scratch.input();
                src.limit(Math.min(in.readableBytes(), src.capacity()));
                in.readBytes(src);
                src.flip();
                while (src.hasRemaining()) {
                    run(src, EndDirective.CONTINUE, scratch, out);
                }
            }
        } finally {
            in.release();
        }
        if (flush) {
            flush(out);
        }
    }

    @Override
    public void flush(Consumer<ByteBuf> out) {
        DirectScratch scratch = DirectScratch.get();
        while (!run(DirectScratch.NO_INPUT, EndDirective.FLUSH, scratch, out)) {
            // more buffered output to write
        }
    }

    @Override
    public void finish(Consumer<ByteBuf> out) {
        DirectScratch scratch = DirectScratch.get();
        while (!run(DirectScratch.NO_INPUT, EndDirective.END, scratch, out)) {
            // more buffered output to write
        }
    }

    /** One native call; true once a flush or end has written everything out. */
    private boolean run(ByteBuffer src, EndDirective directive, DirectScratch scratch, Consumer<ByteBuf> out) {
        ByteBuffer dst = scratch.output(chunk);
        boolean done = ctx.compressDirectByteBufferStream(dst, src, directive);
        int n = dst.position();
        if (n > 0) {
            dst.flip();
            ByteBuf buf = alloc.buffer(n, n);
            buf.writeBytes(dst);
            out.accept(buf);
        }
        return done;
    }

    @Override
    public void close() {
        ctx.close();
    }
}
