package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;

/**
 * One frame as a {@link FrameReader} delivers it: a control frame whole, a data frame whole or in pieces as its
 * payload arrives, so that a large frame never has to be held at once. Every piece repeats its frame's header
 * fields; {@link #first()} and {@link #last()} say where in the frame the piece lies.
 *
 * <p>Ownership: the payload (already unmasked) belongs to whoever polled the frame, who releases it once, directly
 * or through {@link #release()}, or passes it on. A reader may hand out one frame object refilled on every poll
 * (the RFC 6455 reader does, to allocate nothing per message besides the payload), so read what you need from a
 * frame before polling again; the payload stays yours.
 */
public final class Frame {

    /** {@link #length()} when the wire format does not say it up front (Hixie-76 text frames). */
    public static final long UNKNOWN_LENGTH = -1;

    private int opcode;
    private boolean fin;
    private boolean rsv1;
    private long length;
    private boolean first;
    private boolean last;
    private ByteBuf payload;

    public Frame(int opcode, boolean fin, boolean rsv1, long length, boolean first, boolean last, ByteBuf payload) {
        refill(opcode, fin, rsv1, length, first, last, payload);
    }

    /** Refills this frame for the reader that owns it; returns it. */
    Frame refill(int opcode, boolean fin, boolean rsv1, long length, boolean first, boolean last, ByteBuf payload) {
        this.opcode = opcode;
        this.fin = fin;
        this.rsv1 = rsv1;
        this.length = length;
        this.first = first;
        this.last = last;
        this.payload = payload;
        return this;
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
