package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.api.ConnectionClosedException;
import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.CompressionOptions;
import io.sluice.filters.compression.DecompressionException;
import io.sluice.filters.compression.MessageDecompressor;
import java.util.Objects;

/**
 * The receiving half of permessage-deflate (RFC 7692 §7.2.2), on the toolkit's {@link MessageDecompressor} with raw
 * deflate. Pieces of a compressed message are inflated as they arrive, so a large message can be consumed piece by
 * piece; the {@code 00 00 FF FF} tail is appended after the last one. Decompressed bytes are counted against a
 * limit as they are produced, and inflating stops one byte past it, so a small frame that inflates to a bomb costs
 * no more than the limit; data that does not inflate fails with 1007.
 *
 * <p>Inflating always works with a 15-bit window, whatever window the peer agreed to compress with. When the peer
 * compresses without context takeover, the context is freed after each message (nothing it holds is needed again),
 * so an idle connection holds none.
 *
 * <p>A peer that ends a message with a final deflate block (BFINAL, RFC 7692 §7.2.3.3) instead of a sync flush is
 * not supported: the appended tail then follows the end of the stream and the message fails with 1007.
 *
 * <p>Ownership: {@link #inflate(ByteBuf, boolean, long)} takes the piece and returns a buffer (from the allocator
 * given) owned by the caller. One thread at a time; {@link #close()} frees the context.
 */
public final class PerMessageInflater implements AutoCloseable {

    private final ByteBufAllocator alloc;
    private final boolean contextTakeover;
    private final CompressionOptions options = CompressionOptions.builder(Codec.DEFLATE_RAW).build();
    private MessageDecompressor decompressor;

    /** @param contextTakeover whether the peer keeps its compression context between messages */
    public PerMessageInflater(ByteBufAllocator alloc, boolean contextTakeover) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.contextTakeover = contextTakeover;
    }

    /**
     * Inflates the next piece of a compressed message. When the piece inflates past {@code maxBytes}, what it gives
     * is its first {@code maxBytes + 1} bytes: the caller fails the message with 1009, after checking the bytes
     * within the limit (a text message's UTF-8 error there is reported first, with 1007, however the compressed
     * bytes were split). The inflater's context is then freed, and a later piece starts afresh.
     *
     * @param endOfMessage whether the piece ends the message: the tail is appended first
     * @param maxBytes how many decompressed bytes the message may still grow by
     * @return at most {@code maxBytes + 1} bytes; more than {@code maxBytes} when the piece inflates past the limit
     * @throws WebSocketProtocolException 1007 for data that does not inflate
     */
    public ByteBuf inflate(ByteBuf piece, boolean endOfMessage, long maxBytes) throws WebSocketProtocolException {
        if (!endOfMessage && !piece.isReadable()) {
            piece.release();
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf input = piece;
        if (endOfMessage) {
            input = alloc.compositeBuffer(2).addComponents(true, piece,
                    alloc.buffer(4, 4).writeInt(WebSocketProtocol.DEFLATE_TAIL));
        }
        MessageDecompressor d = decompressor;
        if (d == null) {
            d = decompressor = new MessageDecompressor(options, alloc, true);
        }
        long limit = Math.max(0, maxBytes);
        boolean failed = true;
        try {
            ByteBuf out = d.decompressAtMost(input, limit);
            failed = out.readableBytes() > limit; // past the limit: the message and the stream end here
            return out;
        } catch (DecompressionException e) {
            throw new WebSocketProtocolException(WebSocketProtocol.CLOSE_INVALID_PAYLOAD,
                    "compressed message does not inflate: " + e.getMessage());
        } catch (ConnectionClosedException e) {
            throw new WebSocketProtocolException(WebSocketProtocol.CLOSE_INTERNAL_ERROR, "inflater closed");
        } finally {
            if (failed || (endOfMessage && !contextTakeover)) {
                decompressor = null;
                d.close();
            }
        }
    }

    @Override
    public void close() {
        MessageDecompressor d = decompressor;
        decompressor = null;
        if (d != null) {
            d.close();
        }
    }
}
