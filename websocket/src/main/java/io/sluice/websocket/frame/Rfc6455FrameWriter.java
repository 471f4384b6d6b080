package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.WebSocketProtocol.B0_FIN;
import static io.sluice.websocket.frame.WebSocketProtocol.B0_RSV1;
import static io.sluice.websocket.frame.WebSocketProtocol.B1_MASK;
import static io.sluice.websocket.frame.WebSocketProtocol.LENGTH_16;
import static io.sluice.websocket.frame.WebSocketProtocol.LENGTH_64;
import static io.sluice.websocket.frame.WebSocketProtocol.MAX_16_BIT_LENGTH;
import static io.sluice.websocket.frame.WebSocketProtocol.MAX_7_BIT_LENGTH;
import static io.sluice.websocket.frame.WebSocketProtocol.MAX_CONTROL_PAYLOAD;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CLOSE;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_PING;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_PONG;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.BufferBudget;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The RFC 6455 frame writer. Lengths use their minimal encoding. A client masks every frame with a fresh key from
 * its key source, copying the payload into the frame (the caller's buffer may be shared, as when one message is
 * broadcast to many sessions, so it is never masked in place). A server puts the header in front of the payload,
 * in the payload's own buffer, when that buffer is the server's alone and has room there
 * ({@link BufferBudget#reclaimableHeadroom}: a received message echoed back, whose reader left that room); otherwise
 * it copies small payloads next to the header and puts large ones behind it in a composite buffer, without copying.
 * Ownership as in {@link FrameWriter}: a payload framed in place is the returned frame.
 */
public final class Rfc6455FrameWriter implements FrameWriter {

    /** Payloads up to this size are copied next to their header: one buffer is cheaper than a composite. */
    static final int COPY_THRESHOLD = 1024;

    private final ByteBufAllocator alloc;
    private final boolean mask;
    private final IntSupplier maskKeys;

    /**
     * @param alloc where frames come from: the connection's budget allocator
     * @param mask true on a client
     * @param maskKeys the masking keys of a client, one per frame (RFC 6455 §5.3: unpredictable); unused on a server
     */
    public Rfc6455FrameWriter(ByteBufAllocator alloc, boolean mask, IntSupplier maskKeys) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.mask = mask;
        this.maskKeys = Objects.requireNonNull(maskKeys, "maskKeys");
    }

    @Override
    public ByteBuf data(int opcode, boolean fin, boolean rsv1, ByteBuf payload) {
        if (WebSocketProtocol.isControl(opcode) || WebSocketProtocol.isReserved(opcode)) {
            payload.release();
            throw new IllegalArgumentException("not a data opcode: " + WebSocketProtocol.opcodeName(opcode));
        }
        return frame((fin ? B0_FIN : 0) | (rsv1 ? B0_RSV1 : 0) | opcode, payload);
    }

    @Override
    public ByteBuf control(int opcode, ByteBuf payload) {
        if (opcode != OPCODE_PING && opcode != OPCODE_PONG) {
            payload.release();
            throw new IllegalArgumentException("not a ping or pong: " + WebSocketProtocol.opcodeName(opcode));
        }
        if (payload.readableBytes() > MAX_CONTROL_PAYLOAD) {
            int size = payload.readableBytes();
            payload.release();
            throw new IllegalArgumentException("a " + WebSocketProtocol.opcodeName(opcode) + " carries at most "
                    + MAX_CONTROL_PAYLOAD + " bytes, got " + size);
        }
        return frame(B0_FIN | opcode, payload);
    }

    @Override
    public ByteBuf close(ClosePayload close) {
        return frame(B0_FIN | OPCODE_CLOSE, close.encode(alloc));
    }

    @Override
    public boolean supportsBinary() {
        return true;
    }

    @Override
    public boolean supportsPing() {
        return true;
    }

    private ByteBuf frame(int b0, ByteBuf payload) {
        boolean payloadTaken = false;
        try {
            int length = payload.readableBytes();
            int headerSize = 2 + (length <= MAX_7_BIT_LENGTH ? 0 : length <= MAX_16_BIT_LENGTH ? 2 : 8)
                    + (mask ? 4 : 0);
            if (!mask && BufferBudget.reclaimableHeadroom(payload) >= headerSize) {
                // The payload is ours alone and has room in front (a received message echoed back): frame it there.
                int start = payload.readerIndex() - headerSize;
                putHeader(payload, start, b0, length);
                payload.readerIndex(start);
                payloadTaken = true;
                return payload;
            }
            if (mask || length <= COPY_THRESHOLD) {
                ByteBuf out = alloc.buffer(headerSize + length);
                out.writerIndex(putHeader(out, out.writerIndex(), b0, length));
                if (mask) {
                    int key = maskKeys.getAsInt();
                    out.writeInt(key);
                    Masking.copyMasked(payload, out, key);
                } else {
                    ByteCopy.append(payload, payload.readerIndex(), length, out);
                }
                return out;
            }
            ByteBuf header = alloc.buffer(headerSize, headerSize);
            header.writerIndex(putHeader(header, 0, b0, length));
            payloadTaken = true;
            return alloc.compositeBuffer(2).addComponents(true, header, payload);
        } finally {
            if (!payloadTaken) {
                payload.release();
            }
        }
    }

    /** Sets the first two bytes and the extended length at {@code index} (not the masking key); returns the end. */
    private int putHeader(ByteBuf out, int index, int b0, int length) {
        out.setByte(index, b0);
        int maskBit = mask ? B1_MASK : 0;
        if (length <= MAX_7_BIT_LENGTH) {
            out.setByte(index + 1, maskBit | length);
            return index + 2;
        }
        if (length <= MAX_16_BIT_LENGTH) {
            out.setByte(index + 1, maskBit | LENGTH_16);
            out.setShort(index + 2, length);
            return index + 4;
        }
        out.setByte(index + 1, maskBit | LENGTH_64);
        out.setLong(index + 2, length);
        return index + 10;
    }
}
