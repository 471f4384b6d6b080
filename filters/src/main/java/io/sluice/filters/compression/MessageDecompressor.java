package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sluice.api.ConnectionClosedException;
import java.util.Objects;

/**
 * Decompresses messages made by a {@link MessageCompressor} with the same codec and context-takeover setting, with a
 * limit on each message's decompressed size, counted as it is produced, so a small message that would expand to a
 * bomb is refused after at most one chunk beyond the limit.
 *
 * <p>Ownership: {@link #decompress(ByteBuf, long)} takes the compressed message and releases it; the message it
 * returns (from the allocator given) belongs to the caller. Used by one thread at a time; {@link #close()} may come
 * from any thread and frees the context exactly once, never during a decompression.
 */
public final class MessageDecompressor implements AutoCloseable {

    private final CompressionOptions options;
    private final ByteBufAllocator alloc;
    private final boolean contextTakeover;
    private final CodecGuard guard;
    private Decoder shared;

    public MessageDecompressor(CompressionOptions options, ByteBufAllocator alloc, boolean contextTakeover) {
        this.options = Objects.requireNonNull(options, "options");
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.contextTakeover = contextTakeover;
        this.guard = new CodecGuard(this::free);
    }

    /**
     * The decompressed message.
     *
     * @throws DecompressionLimitException when it would exceed {@code maxBytes}
     * @throws DecompressionException when the input is corrupt
     * @throws ConnectionClosedException after {@link #close()}
     */
    public ByteBuf decompress(ByteBuf compressed, long maxBytes) throws DecompressionException,
            ConnectionClosedException {
        if (!guard.enter()) {
            compressed.release();
            throw new ConnectionClosedException("the message decompressor is closed");
        }
        CompositeByteBuf out = alloc.compositeBuffer(Integer.MAX_VALUE);
        Decoder decoder = null;
        try {
            decoder = contextTakeover ? sharedDecoder() : options.codec().newDecoder(options);
            decoder.feed(compressed);
            long total = 0;
            ByteBuf chunk;
            while ((chunk = decoder.next(alloc, options.chunkSize())) != null) {
                total += chunk.readableBytes();
                if (total > maxBytes) {
                    chunk.release();
                    throw new DecompressionLimitException("a " + options.codec().label()
                            + " message expands beyond the limit of " + maxBytes + " bytes");
                }
                out.addComponent(true, chunk);
            }
            return out;
        } catch (DecompressionException | RuntimeException e) {
            out.release();
            if (contextTakeover) {
                free(); // a failed stream cannot be resumed
            }
            throw e;
        } finally {
            if (!contextTakeover && decoder != null) {
                decoder.close();
            }
            guard.exit();
        }
    }

    private Decoder sharedDecoder() {
        Decoder d = shared;
        if (d == null) {
            d = shared = options.codec().newDecoder(options);
        }
        return d;
    }

    private void free() {
        Decoder d = shared;
        shared = null;
        if (d != null) {
            d.close();
        }
    }

    @Override
    public void close() {
        guard.close();
    }
}
