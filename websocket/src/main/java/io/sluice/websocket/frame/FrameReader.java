package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;

/**
 * Turns received bytes, however they were split, into {@link Frame}s: a push parser, fed by a reactive operator that
 * asks for the next frame only when its subscriber wants one.
 *
 * <p>Ownership: {@link #feed(ByteBuf)} takes each buffer; the reader holds the bytes not yet returned (at most a
 * partial header or control frame: data payload is handed out as it arrives) and releases them on
 * {@link #release()}, on a protocol violation, and once the stream has ended with a close frame. The payload of each
 * returned frame belongs to the caller; the frame object itself may be refilled by the next {@link #poll()}.
 * Not thread-safe: one drain loop uses it.
 */
public interface FrameReader {

    /** Appends received bytes; after a close frame or a violation they are released at once. */
    void feed(ByteBuf bytes);

    /**
     * The next frame, or the next piece of the current data frame, or {@code null} when more bytes are needed (or
     * the stream has ended).
     *
     * @throws WebSocketProtocolException at the first violation; the reader has then released everything and
     *         returns {@code null} from then on
     */
    Frame poll() throws WebSocketProtocolException;

    /** Bytes held and not yet returned. */
    int buffered();

    /** True once a close frame was returned: nothing more is read. */
    boolean closed();

    /** Releases what is held; later input is released as it is fed. Idempotent. */
    void release();
}
