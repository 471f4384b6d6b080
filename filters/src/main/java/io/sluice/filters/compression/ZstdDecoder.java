package io.sluice.filters.compression;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * zstd decompression with zstd-jni's streaming {@link ZstdDecompressCtx}, one chunk of at most {@code maxBytes} per
 * call. Concatenated frames decode as one stream, as {@code zstd -d} does. Each frame's header is checked against
 * the window limit before zstd sees it ({@link ZstdFrameHeader}), and a frame must hold exactly the content size its
 * header declares, if it declares one: zstd checks that only when a whole frame arrives in one input, so without this
 * check a frame's fate would depend on how the network split it. The native context is freed in {@link #close()}.
 */
final class ZstdDecoder extends InputHoldingDecoder {

    private final ZstdDecompressCtx ctx;
    private final ZstdFrameHeader header;
    private int headerFed; // bytes of the current frame's header already given to zstd
    private boolean inFrame;
    private boolean sizeDeclared; // the current frame's header declares its content size
    private long declaredSize; // unsigned
    private long frameOut; // bytes of the current frame decompressed so far
    private boolean closed;

    ZstdDecoder(int maxWindowLog) {
        this.ctx = new ZstdDecompressCtx();
        this.header = new ZstdFrameHeader(maxWindowLog);
    }


    @Override
    public ByteBuf next(ByteBufAllocator alloc, int maxBytes) throws DecompressionException {
        if (pending == null) {
            return null;
        }
        if (!inFrame) {
            while (header.missing() > 0 && pending.isReadable()) {
                header.add(pending.readByte());
            }
            if (header.missing() > 0) {
                dropInput(); // the header continues in the next input
                return null;
            }
            header.check();
            inFrame = true;
            headerFed = 0;
            sizeDeclared = header.declaresContentSize();
            declaredSize = sizeDeclared ? header.contentSize() : 0;
            frameOut = 0;
        }
        DirectScratch scratch = DirectScratch.get();
        for (;;) {
            int fromHeader = header.length() - headerFed;
            ByteBuffer src;
            if (fromHeader == 0 && pending.isDirect() && pending.nioBufferCount() == 1) {
                // Past the header, a direct input is read in place: no copy through the scratch buffer.
                src = pending.internalNioBuffer(pending.readerIndex(), pending.readableBytes());
            } else {
                src = scratch.input();
                src.put(header.bytes(), headerFed, fromHeader);
                int fromPending = Math.min(pending.readableBytes(), src.remaining());
                src.limit(fromHeader + fromPending);
                pending.getBytes(pending.readerIndex(), src);
                src.flip();
            }
            int offered = src.remaining();
            ByteBuffer dst = scratch.output(maxBytes);
            boolean frameDone;
            try {
                frameDone = ctx.decompressDirectByteBufferStream(dst, src);
            } catch (ZstdException e) {
                throw new DecompressionException("corrupt zstd stream: " + errorName(e), e);
            }
            int consumed = offered - src.remaining();
            int headerPart = Math.min(consumed, fromHeader);
            headerFed += headerPart;
            pending.skipBytes(consumed - headerPart);
            frameOut += dst.position();
            checkContentSize(frameDone);
            if (frameDone) {
                inFrame = false;
                header.reset();
            }
            int n = dst.position();
            // zstd flushed all it could when it left room in the output: with the input all taken, nothing is
            // left to write out, so the input goes now rather than after one more call that would find nothing.
            boolean spent = !frameDone && dst.hasRemaining() && !pending.isReadable() && headerFed == header.length();
            if (n > 0) {
                dst.flip();
                ByteBuf out = alloc.buffer(n, n);
                out.writeBytes(dst);
                if (spent) {
                    dropInput();
                }
                return out;
            }
            if (frameDone) {
                return pending.isReadable() ? next(alloc, maxBytes) : dropInput();
            }
            if (spent) {
                return dropInput();
            }
            if (consumed == 0) {
                throw new IllegalStateException("zstd took no input and wrote no output");
            }
        }
    }

    /** A frame that declared its content size holds no more than that, and, once done, exactly that. */
    private void checkContentSize(boolean frameDone) throws DecompressionException {
        if (!sizeDeclared) {
            return;
        }
        int beyond = Long.compareUnsigned(frameOut, declaredSize);
        if (beyond > 0 || frameDone && beyond != 0) {
            throw new DecompressionException("corrupt zstd stream: the frame declares " + Long.toUnsignedString(
                    declaredSize) + " bytes of content and holds " + (frameDone ? "" : "more than ") + frameOut);
        }
    }

    /**
     * zstd's name for the error. zstd-jni 1.5.7-4's streaming decompression builds its exception from zstd's
     * positive error code as if it were a function result, so its message reads "No error detected"; the name is
     * looked up again from the code.
     */
    static String errorName(ZstdException e) {
        long code = e.getErrorCode();
        return Zstd.getErrorName(code > 0 ? -code : code);
    }


    @Override
    public boolean finished() {
        return !inFrame && header.length() == 0;
    }

    @Override
    public void close() {
        dropInput();
        if (!closed) {
            closed = true;
            ctx.close();
        }
    }
}
