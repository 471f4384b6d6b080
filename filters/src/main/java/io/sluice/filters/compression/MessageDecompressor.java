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

    /**
     * @param contextTakeover whether one compression context runs across messages (each message then depends on
     *                        the ones before it) or each message has its own
     * @throws IllegalStateException naming the artifact to add, when the codec's native library cannot load here
     */
    public MessageDecompressor(CompressionOptions options, ByteBufAllocator alloc, boolean contextTakeover) {
        this.options = Objects.requireNonNull(options, "options");
        NativeLibraries.require(options.codec());
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
        ByteBuf out = decompressAtMost(compressed, maxBytes);
        if (out.readableBytes() > maxBytes) {
            out.release();
            throw new DecompressionLimitException("a " + options.codec().label()
                    + " message expands beyond the limit of " + maxBytes + " bytes");
        }
        return out;
    }

    /**
     * The decompressed message, or its first {@code maxBytes + 1} bytes when it goes past {@code maxBytes}: a result
     * longer than {@code maxBytes} says the message is too big, and still hands out what came before the limit, for
     * a caller whose protocol reports an error in those bytes first (a WebSocket text message's UTF-8, for one).
     * Decompression stops there; the rest of the input is not read, and a shared context (context takeover) is
     * freed, as the stream cannot go on.
     *
     * @param maxBytes at least 0
     * @throws DecompressionException when the input is corrupt before the limit
     * @throws ConnectionClosedException after {@link #close()}
     */
    public ByteBuf decompressAtMost(ByteBuf compressed, long maxBytes) throws DecompressionException,
            ConnectionClosedException {
        if (maxBytes < 0) {
            compressed.release();
            throw new IllegalArgumentException("maxBytes must be at least 0: " + maxBytes);
        }
        if (!guard.enter()) {
            compressed.release();
            throw new ConnectionClosedException("the message decompressor is closed");
        }
        CompositeByteBuf out = alloc.compositeBuffer(Integer.MAX_VALUE);
        Decoder decoder = null;
        boolean failed = true;
        try {
            decoder = contextTakeover ? sharedDecoder() : options.codec().newDecoder(options);
            decoder.feed(compressed);
            // Output beyond the limit is kept to one byte.
            long room = maxBytes == Long.MAX_VALUE ? Long.MAX_VALUE : maxBytes + 1;
            ByteBuf chunk;
            while (room > 0 && (chunk = decoder.next(alloc, options.chunkSize())) != null) {
                if (chunk.readableBytes() > room) {
                    chunk.writerIndex(chunk.readerIndex() + (int) room);
                }
                room -= chunk.readableBytes();
                out.addComponent(true, chunk);
            }
            failed = false;
            if (room == 0 && contextTakeover) {
                free(); // the rest of the message was not read: the stream cannot go on
            }
            return out;
        } catch (DecompressionException | RuntimeException e) {
            out.release();
            throw e;
        } finally {
            if (failed && contextTakeover) {
                free(); // a failed stream cannot be resumed
            }
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
