package io.sluice.websocket;

import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sluice.websocket.frame.Frame;
import io.sluice.websocket.frame.PerMessageInflater;
import io.sluice.websocket.frame.Utf8Validator;
import io.sluice.websocket.frame.WebSocketProtocol;
import io.sluice.websocket.frame.WebSocketProtocolException;

/**
 * Turns the data frame pieces of a {@link io.sluice.websocket.frame.FrameReader} into messages: inflates compressed
 * ones, counts each message's size on decompressed bytes (1009 beyond {@code maxMessageSize}, before reading a frame
 * that declares too much), validates text as UTF-8 piece by piece (1007 at the first bad byte, or at the end of a
 * message cut inside a character), and either gathers a message whole or hands it on fragment by fragment. The
 * reader has already checked that frames follow each other as the RFC requires.
 *
 * <p>Ownership: {@link #accept} takes the piece; a returned message belongs to the caller. Pieces of a whole message
 * are held in a composite buffer until the message ends, and released by {@link #release()} (which also frees the
 * inflater), or when a piece fails. One drain loop uses it.
 */
final class MessageAssembler {

    private final ByteBufAllocator alloc;
    private final long maxMessageSize;
    private final PerMessageInflater inflater;
    /** Made for the first text message: many sessions never receive one. */
    private Utf8Validator utf8;

    // The current message.
    private WebSocketMessage.Type type;
    private boolean compressed;
    private boolean whole;
    private long size;
    /** The pieces of a whole message so far: the first piece itself, then a composite of all once there are two. */
    private ByteBuf parts;
    /** Whether {@link #parts} is a composite made here (a piece may itself be a composite, from the inflater). */
    private boolean gathering;

    /** @param inflater for compressed messages, or null when permessage-deflate was not negotiated */
    MessageAssembler(ByteBufAllocator alloc, long maxMessageSize, PerMessageInflater inflater) {
        this.alloc = alloc;
        this.maxMessageSize = maxMessageSize;
        this.inflater = inflater;
    }

    /**
     * Takes the next data piece.
     *
     * @param wholeMessages how a message starting with this piece is delivered: whole, or as fragments
     * @return a whole message or a fragment, or null while a whole message is incomplete (or for an empty
     *         fragment that does not end its message)
     */
    WebSocketMessage accept(Frame piece, boolean wholeMessages) throws WebSocketProtocolException {
        if (piece.first() && piece.opcode() != WebSocketProtocol.OPCODE_CONTINUATION) {
            start(piece, wholeMessages);
        }
        boolean end = piece.endsMessage();
        if (!compressed && piece.first() && piece.length() > maxMessageSize - size) {
            piece.release();
            release();
            throw tooBig();
        }
        ByteBuf data = payload(piece, end);
        try {
            long room = maxMessageSize - size;
            size += data.readableBytes();
            if (size > maxMessageSize) {
                // Only an inflated piece gets here, cut one byte past the limit. The bytes before the limit are
                // checked first, as they would be had the compressed bytes come in smaller reads.
                if (type == WebSocketMessage.Type.TEXT) {
                    validateText(data, (int) room, false);
                }
                throw tooBig();
            }
            if (type == WebSocketMessage.Type.TEXT) {
                validateText(data, data.readableBytes(), end);
            }
        } catch (WebSocketProtocolException e) {
            data.release();
            release();
            throw e;
        }
        if (whole) {
            gather(data);
            if (!end) {
                return null;
            }
            ByteBuf message = parts;
            parts = null;
            gathering = false;
            return WebSocketMessage.fragment(type, message, true);
        }
        if (!end && !data.isReadable()) {
            data.release();
            return null;
        }
        return WebSocketMessage.fragment(type, data, end);
    }

    /** Bytes held for an incomplete whole message. */
    long heldBytes() {
        return parts == null ? 0 : parts.readableBytes();
    }

    /** Drops a partial message; frees the inflater. */
    void release() {
        dropParts();
        if (inflater != null) {
            inflater.close();
        }
    }

    private void start(Frame piece, boolean wholeMessages) {
        dropParts();
        type = piece.opcode() == WebSocketProtocol.OPCODE_TEXT ? WebSocketMessage.Type.TEXT
                : WebSocketMessage.Type.BINARY;
        compressed = piece.rsv1();
        whole = wholeMessages;
        size = 0;
        if (type == WebSocketMessage.Type.TEXT) {
            if (utf8 == null) {
                utf8 = new Utf8Validator();
            } else {
                utf8.reset();
            }
        }
    }

    /** Adds a piece to a whole message; a message of one piece (most are) needs no composite buffer. */
    private void gather(ByteBuf data) {
        ByteBuf p = parts;
        if (p == null) {
            parts = data;
        } else if (gathering) {
            ((CompositeByteBuf) p).addComponent(true, data);
        } else {
            parts = alloc.compositeBuffer(Integer.MAX_VALUE).addComponents(true, p, data);
            gathering = true;
        }
    }

    private ByteBuf payload(Frame piece, boolean end) throws WebSocketProtocolException {
        if (!compressed) {
            return piece.payload();
        }
        try {
            return inflater.inflate(piece.payload(), end, maxMessageSize - size);
        } catch (WebSocketProtocolException e) {
            release();
            throw e;
        }
    }

    /** Validates the first {@code length} bytes of {@code data}; at the end of a message, also that none is cut. */
    private void validateText(ByteBuf data, int length, boolean end) throws WebSocketProtocolException {
        long before = utf8.position();
        int bad = utf8.update(data, data.readerIndex(), length);
        if (bad >= 0) {
            throw new WebSocketProtocolException(CLOSE_INVALID_PAYLOAD, "invalid UTF-8 at byte "
                    + (before + bad - data.readerIndex()) + " of a text message");
        }
        if (end && !utf8.isComplete()) {
            throw new WebSocketProtocolException(CLOSE_INVALID_PAYLOAD,
                    "text message ends inside a UTF-8 sequence");
        }
    }

    private WebSocketProtocolException tooBig() {
        return new WebSocketProtocolException(CLOSE_MESSAGE_TOO_BIG, "message exceeds the limit of "
                + maxMessageSize + " bytes");
    }

    private void dropParts() {
        ByteBuf p = parts;
        parts = null;
        gathering = false;
        if (p != null) {
            p.release();
        }
    }
}
