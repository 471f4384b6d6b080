package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.WebSocketProtocol.B0_FIN;
import static io.sluice.websocket.frame.WebSocketProtocol.B0_OPCODE;
import static io.sluice.websocket.frame.WebSocketProtocol.B0_RSV1;
import static io.sluice.websocket.frame.WebSocketProtocol.B0_RSV2;
import static io.sluice.websocket.frame.WebSocketProtocol.B0_RSV3;
import static io.sluice.websocket.frame.WebSocketProtocol.B1_LENGTH;
import static io.sluice.websocket.frame.WebSocketProtocol.B1_MASK;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;
import static io.sluice.websocket.frame.WebSocketProtocol.LENGTH_16;
import static io.sluice.websocket.frame.WebSocketProtocol.MAX_16_BIT_LENGTH;
import static io.sluice.websocket.frame.WebSocketProtocol.MAX_7_BIT_LENGTH;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CLOSE;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CONTINUATION;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * The RFC 6455 frame reader (HyBi drafts 7 and 8 frame alike). An explicit state per header field, one guard per
 * rule of RFC 6455 §5 with an exact message, and one exit for every violation ({@link #fail}) that releases what is
 * held and names the close code: 1002 for framing errors, 1009 for a frame over the configured limit.
 *
 * <p>Rules enforced here, in the order bytes arrive: RSV2/RSV3 never set, RSV1 only on the first frame of a data
 * message and only with permessage-deflate; no reserved opcode; control frames final and at most 125 bytes; no
 * continuation without a message, no new message inside a fragmented one; client frames masked and server frames
 * not; lengths in their minimal encoding and 64-bit lengths with the top bit clear; data frames within
 * {@code maxFrameSize}. After a close frame nothing more is read.
 *
 * <p>Minimal length encoding: §5.2 says "the minimal number of bytes MUST be used to encode the length". Every
 * conforming sender obeys it and a frame that breaks it can only come from a broken or hostile peer, so this reader
 * is strict and fails with 1002, as it does for every other MUST about framing.
 *
 * <p>Data payload is handed out as it arrives, so a large frame is never held whole. A piece that is all that is
 * left of the input (a read holding one message, or one part of a large one) is handed on in the input buffer
 * itself, unmasked in place, when that buffer is writable and not much larger than the piece. Other pieces up to
 * {@link #COPY_THRESHOLD} bytes are copied into buffers of their own and unmasked on the way (cheaper than a slice,
 * and the received buffer goes at once), with {@link #HEADER_ROOM} free bytes in front of them for a frame header;
 * larger ones are retained slices of the received buffers unmasked in place (copied first if a buffer is read-only).
 * Control payloads are copied too, so that a pending pong does not pin a large read buffer. Ownership as in
 * {@link FrameReader}.
 */
public final class Rfc6455FrameReader implements FrameReader {

    /** Where the reader is within the current frame. */
    private enum State { FIRST_BYTE, SECOND_BYTE, EXTENDED_LENGTH, MASKING_KEY, PAYLOAD, CLOSED, CORRUPT }

    /** Data pieces up to this size are copied out of the input rather than sliced. */
    static final int COPY_THRESHOLD = 1024;
    /**
     * Bytes left free in front of every copied payload: the header of an unmasked frame carrying up to 65,535 bytes,
     * so that a server sending the payload back (an echo, a pong) writes its frame in place instead of copying it.
     */
    static final int HEADER_ROOM = 4;
    /**
     * A piece that is all the input holds is handed on in the input buffer itself when that buffer is at most this
     * many bytes (or the piece's size, if larger) bigger than the piece, so that a message the application keeps
     * does not pin a much larger read buffer.
     */
    static final int TAKE_WHOLE_SLACK = 256;

    private final ByteBufAllocator alloc;
    private final boolean expectMasked;
    private final boolean rsv1Allowed;
    private final int maxFrameSize;

    /** Refilled and returned by every poll: see {@link Frame}. */
    private final Frame frame = new Frame(OPCODE_CONTINUATION, false, false, 0, false, false, Unpooled.EMPTY_BUFFER);
    private State state = State.FIRST_BYTE;
    private ByteBuf cumulation;
    /** A data message was started by a non-final frame and awaits its continuation. */
    private boolean inMessage;

    // The current frame's header.
    private int opcode;
    private boolean fin;
    private boolean rsv1;
    private boolean masked;
    private int lengthBytes;
    private long length;
    private int maskKey;
    private long consumed;

    /**
     * @param alloc for merged input and control payloads: the connection's budget allocator
     * @param expectMasked true on a server (client frames must be masked), false on a client
     * @param rsv1Allowed whether permessage-deflate was negotiated
     * @param maxFrameSize the largest data frame payload accepted; larger ones fail with 1009
     */
    public Rfc6455FrameReader(ByteBufAllocator alloc, boolean expectMasked, boolean rsv1Allowed, int maxFrameSize) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.expectMasked = expectMasked;
        this.rsv1Allowed = rsv1Allowed;
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("maxFrameSize must be >= 0, got " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public void feed(ByteBuf bytes) {
        if (state == State.CLOSED || state == State.CORRUPT || !bytes.isReadable()) {
            bytes.release();
            return;
        }
        cumulation = Cumulation.append(alloc, cumulation, bytes);
    }

    @Override
    public Frame poll() throws WebSocketProtocolException {
        for (;;) {
            switch (state) {
                case FIRST_BYTE -> {
                    if (!readable(1)) {
                        return needMore();
                    }
                    readFirstByte(cumulation.readUnsignedByte());
                    state = State.SECOND_BYTE;
                }
                case SECOND_BYTE -> {
                    if (!readable(1)) {
                        return needMore();
                    }
                    readSecondByte(cumulation.readUnsignedByte());
                }
                case EXTENDED_LENGTH -> {
                    if (!readable(lengthBytes)) {
                        return needMore();
                    }
                    readExtendedLength();
                }
                case MASKING_KEY -> {
                    if (!readable(4)) {
                        return needMore();
                    }
                    maskKey = cumulation.readInt();
                    state = State.PAYLOAD;
                }
                case PAYLOAD -> {
                    return isControl() ? controlFrame() : dataPiece();
                }
                default -> {
                    return null; // CLOSED or CORRUPT: nothing more is read
                }
            }
        }
    }

    private void readFirstByte(int b0) throws WebSocketProtocolException {
        fin = (b0 & B0_FIN) != 0;
        rsv1 = (b0 & B0_RSV1) != 0;
        opcode = b0 & B0_OPCODE;
        if ((b0 & B0_RSV2) != 0) {
            throw fail(CLOSE_PROTOCOL_ERROR, "RSV2 set without a negotiated extension");
        }
        if ((b0 & B0_RSV3) != 0) {
            throw fail(CLOSE_PROTOCOL_ERROR, "RSV3 set without a negotiated extension");
        }
        if (WebSocketProtocol.isReserved(opcode)) {
            throw fail(CLOSE_PROTOCOL_ERROR, "reserved opcode " + WebSocketProtocol.opcodeName(opcode));
        }
        if (isControl()) {
            if (!fin) {
                throw fail(CLOSE_PROTOCOL_ERROR, "control frames must be final");
            }
            if (rsv1) {
                throw fail(CLOSE_PROTOCOL_ERROR, "RSV1 set on a control frame");
            }
            return;
        }
        if (opcode == OPCODE_CONTINUATION) {
            if (!inMessage) {
                throw fail(CLOSE_PROTOCOL_ERROR, "continuation frame without a message to continue");
            }
            if (rsv1) {
                throw fail(CLOSE_PROTOCOL_ERROR, "RSV1 set on a continuation frame");
            }
        } else {
            if (inMessage) {
                throw fail(CLOSE_PROTOCOL_ERROR, "new " + WebSocketProtocol.opcodeName(opcode)
                        + " frame inside a fragmented message");
            }
            if (rsv1 && !rsv1Allowed) {
                throw fail(CLOSE_PROTOCOL_ERROR, "RSV1 set without a negotiated extension");
            }
        }
        inMessage = !fin;
    }

    private void readSecondByte(int b1) throws WebSocketProtocolException {
        masked = (b1 & B1_MASK) != 0;
        if (masked != expectMasked) {
            throw fail(CLOSE_PROTOCOL_ERROR, expectMasked ? "client frames must be masked"
                    : "server frames must not be masked");
        }
        int length7 = b1 & B1_LENGTH;
        if (isControl() && length7 > MAX_7_BIT_LENGTH) {
            throw fail(CLOSE_PROTOCOL_ERROR, "control frames must not carry more than 125 bytes");
        }
        if (length7 <= MAX_7_BIT_LENGTH) {
            headerLengthRead(length7);
        } else {
            lengthBytes = length7 == LENGTH_16 ? 2 : 8;
            state = State.EXTENDED_LENGTH;
        }
    }

    private void readExtendedLength() throws WebSocketProtocolException {
        if (lengthBytes == 2) {
            int value = cumulation.readUnsignedShort();
            if (value <= MAX_7_BIT_LENGTH) {
                throw fail(CLOSE_PROTOCOL_ERROR, "length " + value + " not in its minimal encoding (16-bit)");
            }
            headerLengthRead(value);
            return;
        }
        long value = cumulation.readLong();
        if (value < 0) {
            throw fail(CLOSE_PROTOCOL_ERROR, "64-bit length with the most significant bit set");
        }
        if (value <= MAX_16_BIT_LENGTH) {
            throw fail(CLOSE_PROTOCOL_ERROR, "length " + value + " not in its minimal encoding (64-bit)");
        }
        headerLengthRead(value);
    }

    private void headerLengthRead(long value) throws WebSocketProtocolException {
        if (!isControl() && value > maxFrameSize) {
            throw fail(CLOSE_MESSAGE_TOO_BIG, "frame of " + value + " bytes exceeds the limit of " + maxFrameSize
                    + " bytes");
        }
        length = value;
        consumed = 0;
        state = masked ? State.MASKING_KEY : State.PAYLOAD;
    }

    private Frame controlFrame() {
        int size = (int) length;
        if (!readable(size)) {
            return needMore();
        }
        ByteBuf payload = Unpooled.EMPTY_BUFFER;
        if (size > 0) {
            payload = copyPayload(size);
        }
        dropConsumedInput();
        state = opcode == OPCODE_CLOSE ? State.CLOSED : State.FIRST_BYTE;
        if (state == State.CLOSED) {
            release();
        }
        return frame.refill(opcode, true, false, length, true, true, payload);
    }

    private Frame dataPiece() {
        long remaining = length - consumed;
        int available = cumulation == null ? 0 : cumulation.readableBytes();
        int size = (int) Math.min(remaining, available);
        if (size == 0 && remaining > 0) {
            return needMore();
        }
        ByteBuf piece = size == 0 ? Unpooled.EMPTY_BUFFER : takePayload(size);
        dropConsumedInput();
        boolean first = consumed == 0;
        consumed += size;
        boolean last = consumed == length;
        if (last) {
            state = State.FIRST_BYTE;
        }
        return frame.refill(opcode, fin, rsv1, length, first, last, piece);
    }

    /**
     * The next {@code size} payload bytes, unmasked. A piece that is all the input holds is the input buffer itself,
     * unmasked in place, if that buffer is writable and not much larger ({@link #TAKE_WHOLE_SLACK}); the header in
     * front of it leaves room for the header of a frame that sends it back. Otherwise small pieces are copied out
     * (unmasked on the way), which costs less than a retained slice and lets the input buffer go at once; larger
     * ones are retained slices of the input, unmasked in place (copied first if the input is read-only).
     */
    private ByteBuf takePayload(int size) {
        ByteBuf piece;
        if (size == cumulation.readableBytes() && !cumulation.isReadOnly()
                && cumulation.capacity() - size <= Math.max(TAKE_WHOLE_SLACK, size)) {
            // The piece is all that is left of the input (a read holding one message): no copy and no slice.
            piece = cumulation;
            cumulation = null;
            if (masked) {
                Masking.toggle(piece, piece.readerIndex(), size, maskKey, consumed);
            }
            return piece;
        }
        if (size <= COPY_THRESHOLD || (masked && cumulation.isReadOnly())) {
            piece = copyPayload(size);
        } else {
            piece = cumulation.readRetainedSlice(size);
            if (masked) {
                Masking.toggle(piece, piece.readerIndex(), size, maskKey, consumed);
            }
        }
        dropConsumedInput();
        return piece;
    }

    /** The next {@code size} bytes in a buffer of their own, unmasked, after {@link #HEADER_ROOM} free bytes. */
    private ByteBuf copyPayload(int size) {
        ByteBuf piece = alloc.buffer(HEADER_ROOM + size, HEADER_ROOM + size);
        piece.setIndex(HEADER_ROOM, HEADER_ROOM);
        int from = cumulation.readerIndex();
        if (masked) {
            Masking.copyToggled(cumulation, from, size, piece, maskKey, consumed);
        } else {
            ByteCopy.append(cumulation, from, size, piece);
        }
        cumulation.readerIndex(from + size);
        return piece;
    }

    private boolean isControl() {
        return WebSocketProtocol.isControl(opcode);
    }

    private boolean readable(int bytes) {
        return bytes == 0 || (cumulation != null && cumulation.readableBytes() >= bytes);
    }

    /** Waits for more bytes, holding none that were already read. */
    private Frame needMore() {
        dropConsumedInput();
        return null;
    }

    /** Lets go of the cumulation once it is read: slices handed out keep what they need. */
    private void dropConsumedInput() {
        if (cumulation != null && !cumulation.isReadable()) {
            cumulation.release();
            cumulation = null;
        }
    }

    /** The one exit for violations: nothing is read after it, and what was held is released. */
    private WebSocketProtocolException fail(int closeCode, String message) {
        state = State.CORRUPT;
        release();
        return new WebSocketProtocolException(closeCode, message);
    }

    @Override
    public int buffered() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    @Override
    public boolean closed() {
        return state == State.CLOSED;
    }

    @Override
    public void release() {
        ByteBuf cum = cumulation;
        cumulation = null;
        if (cum != null) {
            cum.release();
        }
        if (state != State.CLOSED) {
            state = State.CORRUPT;
        }
    }
}
