package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;

/**
 * One frame as a {@link FrameReader} delivers it: a control frame whole, a data frame whole or in pieces as its
 * payload arrives, so that a large frame never has to be held at once. Every piece repeats its frame's header
 * fields; {@link #first()} and {@link #last()} say where in the frame the piece lies.
 *
 * <p>Ownership: the payload (already unmasked) belongs to whoever holds the frame, who releases it once, directly or
 * through {@link #release()}, or passes it on.
 */
public final class Frame {

    /** {@link #length()} when the wire format does not say it up front (Hixie-76 text frames). */
    public static final long UNKNOWN_LENGTH = -1;

    private final int opcode;
    private final boolean fin;
    private final boolean rsv1;
    private final long length;
    private final boolean first;
    private final boolean last;
    private final ByteBuf payload;

    public Frame(int opcode, boolean fin, boolean rsv1, long length, boolean first, boolean last, ByteBuf payload) {
        this.opcode = opcode;
        this.fin = fin;
        this.rsv1 = rsv1;
        this.length = length;
        this.first = first;
        this.last = last;
        this.payload = payload;
    }

    public int opcode() {
        return opcode;
    }

    /** The FIN bit: this frame ends its message. */
    public boolean fin() {
        return fin;
    }

    /** RSV1: under permessage-deflate, set on the first frame of a compressed message. */
    public boolean rsv1() {
        return rsv1;
    }

    /** The whole frame's payload length, or {@link #UNKNOWN_LENGTH}. */
    public long length() {
        return length;
    }

    /** This piece starts its frame. */
    public boolean first() {
        return first;
    }

    /** This piece ends its frame. */
    public boolean last() {
        return last;
    }

    public boolean isControl() {
        return WebSocketProtocol.isControl(opcode);
    }

    /** This piece ends its message: the last piece of a final frame. */
    public boolean endsMessage() {
        return fin && last;
    }

    public ByteBuf payload() {
        return payload;
    }

    public void release() {
        payload.release();
    }

    @Override
    public String toString() {
        return "Frame[" + WebSocketProtocol.opcodeName(opcode) + (fin ? ", fin" : "") + (rsv1 ? ", rsv1" : "")
                + ", " + payload.readableBytes() + " of " + length + " B" + (first ? ", first" : "")
                + (last ? ", last" : "") + "]";
    }
}
