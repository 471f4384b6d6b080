package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The payload of a close frame (RFC 6455 §5.5.1): nothing, or a 2-byte status code and a UTF-8 reason.
 * {@link #NONE} stands for the empty payload, with the reporting-only code 1005.
 */
public record ClosePayload(int code, String reason) {

    /** An empty close frame: no status code, reported as 1005. */
    public static final ClosePayload NONE = new ClosePayload(WebSocketProtocol.CLOSE_NO_STATUS_RECEIVED, "");

    public ClosePayload {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Reads a received close payload; {@code payload} is only read (its owner still releases it).
     *
     * @throws WebSocketProtocolException 1002 for a 1-byte payload or a code that may not be sent, 1007 for a reason
     *         that is not UTF-8
     */
    public static ClosePayload parse(ByteBuf payload) throws WebSocketProtocolException {
        int length = payload.readableBytes();
        if (length == 0) {
            return NONE;
        }
        if (length == 1) {
            throw new WebSocketProtocolException(WebSocketProtocol.CLOSE_PROTOCOL_ERROR,
                    "close frame with a 1-byte payload: a status code takes 2 bytes");
        }
        int code = payload.getUnsignedShort(payload.readerIndex());
        String problem = WebSocketProtocol.closeCodeProblem(code);
        if (problem != null) {
            throw new WebSocketProtocolException(WebSocketProtocol.CLOSE_PROTOCOL_ERROR, problem);
        }
        ByteBuf reason = payload.slice(payload.readerIndex() + 2, length - 2);
        if (!Utf8Validator.isValid(reason)) {
            throw new WebSocketProtocolException(WebSocketProtocol.CLOSE_INVALID_PAYLOAD,
                    "close reason is not valid UTF-8");
        }
        return new ClosePayload(code, reason.toString(StandardCharsets.UTF_8));
    }

    /** The payload to send, owned by the caller: empty for {@link #NONE}, else the code and the reason. */
    public ByteBuf encode(ByteBufAllocator alloc) {
        if (code == WebSocketProtocol.CLOSE_NO_STATUS_RECEIVED) {
            return Unpooled.EMPTY_BUFFER;
        }
        int reasonBytes = ByteBufUtil.utf8Bytes(reason);
        ByteBuf out = alloc.buffer(2 + reasonBytes);
        out.writeShort(code);
        ByteBufUtil.writeUtf8(out, reason);
        return out;
    }

    /**
     * {@code text} cut to at most {@link WebSocketProtocol#MAX_CLOSE_REASON_BYTES} UTF-8 bytes at a code point
     * boundary, so that a reason made from a long error message still fits a control frame.
     */
    public static String fitReason(String text) {
        if (ByteBufUtil.utf8Bytes(text) <= WebSocketProtocol.MAX_CLOSE_REASON_BYTES) {
            return text;
        }
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > WebSocketProtocol.MAX_CLOSE_REASON_BYTES) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return text.substring(0, i);
    }
}
