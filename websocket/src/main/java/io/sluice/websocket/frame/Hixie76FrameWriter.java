package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CONTINUATION;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_TEXT;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * The frame writer of the legacy Hixie-76 protocol: a text message is {@code 0x00}, its UTF-8 bytes, {@code 0xFF};
 * the close is {@code 0xFF 0x00}, carrying no status. A message sent in fragments streams as one frame (the first
 * fragment opens it, the last one closes it); a close in the middle of one ends the open frame first. Binary, ping
 * and pong do not exist here. Ownership as in {@link FrameWriter}.
 */
public final class Hixie76FrameWriter implements FrameWriter {

    private final ByteBufAllocator alloc;
    private boolean open;

    public Hixie76FrameWriter(ByteBufAllocator alloc) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
    }

    @Override
    public ByteBuf data(int opcode, boolean fin, boolean rsv1, ByteBuf payload) {
        boolean opens = opcode == OPCODE_TEXT;
        boolean valid = !rsv1 && (opens ? !open : opcode == OPCODE_CONTINUATION && open);
        if (!valid) {
            payload.release();
            throw new IllegalArgumentException("Hixie-76 framing carries uncompressed text messages only, not "
                    + WebSocketProtocol.opcodeName(opcode) + (rsv1 ? " with RSV1" : ""));
        }
        try {
            int length = payload.readableBytes();
            ByteBuf out = alloc.buffer(length + 2);
            if (opens) {
                out.writeByte(0x00);
            }
            out.writeBytes(payload, payload.readerIndex(), length);
            if (fin) {
                out.writeByte(0xff);
            }
            open = !fin;
            return out;
        } finally {
            payload.release();
        }
    }

    @Override
    public ByteBuf control(int opcode, ByteBuf payload) {
        payload.release();
        throw new IllegalArgumentException("Hixie-76 has no " + WebSocketProtocol.opcodeName(opcode) + " frames");
    }

    @Override
    public ByteBuf close(ClosePayload close) {
        ByteBuf out = alloc.buffer(3);
        if (open) {
            out.writeByte(0xff);
            open = false;
        }
        return out.writeByte(0xff).writeByte(0x00);
    }

    @Override
    public boolean supportsBinary() {
        return false;
    }

    @Override
    public boolean supportsPing() {
        return false;
    }
}
