package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One direction's decompressor state, driven by demand: the operator feeds compressed input and pulls decompressed
 * chunks one at a time, so that a small input that expands hugely is produced only as fast as it is consumed (and
 * stopped by the limits in between). Used from one thread at a time. Holds native or JDK state until
 * {@link #close()}.
 */
interface Decoder {

    /** Hands over compressed input; the decoder owns it and releases it once consumed. */
    void feed(ByteBuf compressed);

    /**
     * The next decompressed chunk of at most {@code maxBytes}, owned by the caller, or {@code null} when all input
     * fed so far is consumed and more is needed.
     *
     * @throws DecompressionException on corrupt input
     */
    ByteBuf next(ByteBufAllocator alloc, int maxBytes) throws DecompressionException;

    /** Whether the stream's end marker has been read (a later input would start a new stream or be garbage). */
    boolean finished();

    /** Releases pending input and frees the codec state at once; idempotent. */
    void close();
}
