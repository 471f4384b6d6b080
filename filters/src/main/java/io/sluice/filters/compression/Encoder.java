package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * One direction's compressor state. Used by one send at a time (the transports run a connection's sends one after
 * another), so it needs no synchronization. Holds native or JDK codec state until {@link #close()}.
 */
interface Encoder {

    /**
     * Compresses the readable bytes of {@code in} and releases it. Compressed output goes to {@code out} as buffers
     * the receiver owns. With {@code flush}, everything given so far becomes decodable by the peer.
     */
    void encode(ByteBuf in, boolean flush, Consumer<ByteBuf> out);

    /** Makes everything given so far decodable, without ending the stream. */
    void flush(Consumer<ByteBuf> out);

    /** Ends the stream (end marker, trailer); no call may follow but {@link #close()}. */
    void finish(Consumer<ByteBuf> out);

    /** Frees the codec state at once (never left to a finalizer); idempotent. */
    void close();
}
