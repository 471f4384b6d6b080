package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.ConnectionClosedException;
import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.CompressionOptions;
import io.sluice.filters.compression.MessageCompressor;
import java.util.Objects;

/**
 * The sending half of permessage-deflate (RFC 7692 §7.2.1), on the toolkit's {@link MessageCompressor} with raw
 * deflate. Each fragment is compressed and sync-flushed, so the peer can inflate it at once; at the end of a message
 * the flush's {@code 00 00 FF FF} tail is removed, as the RFC requires. With context takeover one compression
 * context serves the whole connection; without it, each message gets a fresh context, freed when it ends.
 *
 * <p>The JDK's deflater always searches a 15-bit window. When the agreed window for this end is smaller, messages
 * are compressed with Huffman coding alone: no back-references, so the peer's smaller window is never exceeded.
 *
 * <p>Ownership: {@link #deflate(ByteBuf, boolean)} takes the fragment and returns a buffer (from the allocator
 * given) owned by the caller. One thread at a time; {@link #close()} frees the context.
 */
public final class PerMessageDeflater implements AutoCloseable {

    private final ByteBufAllocator alloc;
    private final boolean contextTakeover;
    private final CompressionOptions options;
    private MessageCompressor compressor;

    /**
     * @param windowBits the agreed {@code *_max_window_bits} for this end, 8..15
     * @param level      deflate level 0-9
     */
    public PerMessageDeflater(ByteBufAllocator alloc, boolean contextTakeover, int windowBits, int level) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.contextTakeover = contextTakeover;
        this.options = CompressionOptions.builder(Codec.DEFLATE_RAW).window(windowBits).level(level).build();
    }

    /**
     * Compresses the next fragment of a message (the whole message when it is both first and last).
     *
     * @param endOfMessage whether this fragment ends the message: then the sync-flush tail is removed
     * @return the frame payload; never empty at the end of a message, since an empty final payload would leave the
     *         peer's inflater mid-block
     */
    public ByteBuf deflate(ByteBuf fragment, boolean endOfMessage) throws ConnectionClosedException {
        MessageCompressor c = compressor;
        if (c == null) {
            c = compressor = new MessageCompressor(options, alloc, true);
        }
        ByteBuf out;
        try {
            out = c.compress(fragment);
        } finally {
            if (endOfMessage && !contextTakeover) {
                compressor = null;
                c.close();
            }
        }
        return endOfMessage ? stripTail(out) : out;
    }

    /**
     * Removes the sync-flush tail. zlib emits nothing for a flush with no new input, so a final fragment after a
     * flushed one may come out empty: the message then ends with an empty stored block minus its tail, {@code 00}.
     */
    private ByteBuf stripTail(ByteBuf out) {
        int length = out.readableBytes();
        if (length == 0) {
            out.release();
            return alloc.buffer(1, 1).writeByte(0x00);
        }
        if (length < 4 || out.getInt(out.writerIndex() - 4) != WebSocketProtocol.DEFLATE_TAIL) {
            out.release();
            throw new IllegalStateException("deflate output does not end with a sync-flush marker");
        }
        return out.writerIndex(out.writerIndex() - 4);
    }

    @Override
    public void close() {
        MessageCompressor c = compressor;
        compressor = null;
        if (c != null) {
            c.close();
        }
    }
}
