package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;

/**
 * The frame-specific half of a {@link FrameDecoder}: finds frame boundaries in the bytes received so far.
 *
 * <p>Ownership: the cumulation passed in stays owned by the decoder; the parser must not release or retain it
 * except through the frame it returns. A returned frame is owned by the caller, who emits or releases it; returning
 * {@code cumulation.readRetainedSlice(n)} avoids a copy. A parser is used by one decoder, from one thread at a time,
 * and may keep state between calls (how far it already scanned).
 */
public interface FrameParser {

    /**
     * Returns the next complete frame, advancing {@code cumulation}'s reader index past it (and past any header or
     * delimiter), or returns {@code null} without consuming anything when the bytes do not yet hold a full frame.
     *
     * @throws FramingException when the bytes can never form a valid frame (too long, corrupt)
     */
    ByteBuf next(ByteBuf cumulation) throws FramingException;

    /**
     * Called once when the lower stream completed and {@link #next} found no more frames while {@code cumulation}
     * still holds bytes: returns a final frame consuming all of them, or throws if they are not a valid ending.
     */
    ByteBuf last(ByteBuf cumulation) throws FramingException;
}
