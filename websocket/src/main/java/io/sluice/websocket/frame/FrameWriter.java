package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;

/**
 * Encodes frames for sending. Each call returns one buffer (possibly composite) holding one whole frame, so that
 * frames of different kinds can be interleaved between, never inside, each other.
 *
 * <p>Ownership: every method takes the payload it is given, also when it throws, and the returned frame belongs
 * to the caller. Not thread-safe: one drain loop uses it.
 */
public interface FrameWriter {

    /**
     * A data frame: {@code opcode} is text or binary on a message's first frame and continuation afterwards;
     * {@code fin} ends the message; {@code rsv1} marks a compressed message (first frame only).
     *
     * @throws IllegalArgumentException for what this wire format cannot carry
     */
    ByteBuf data(int opcode, boolean fin, boolean rsv1, ByteBuf payload);

    /**
     * A ping or pong frame.
     *
     * @throws IllegalArgumentException for a payload over 125 bytes, or a wire format without them
     */
    ByteBuf control(int opcode, ByteBuf payload);

    /** The close frame; after it, the connection carries no more frames from this end. */
    ByteBuf close(ClosePayload close);

    /** Whether binary messages can be sent (Hixie-76 carries text only). */
    boolean supportsBinary();

    /** Whether ping and pong frames exist in this wire format. */
    boolean supportsPing();
}
