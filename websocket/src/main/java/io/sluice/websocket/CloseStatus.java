package io.sluice.websocket;

import io.netty.buffer.ByteBufUtil;
import io.sluice.websocket.frame.WebSocketProtocol;
import java.util.Objects;

/**
 * A close status: the code and reason of a close frame (RFC 6455 §7.4), or one of the two codes that only report:
 * {@link #NO_STATUS_RECEIVED} (1005) when the peer's close frame carried no code, {@link #ABNORMAL_CLOSURE} (1006)
 * when the connection ended without a closing handshake.
 *
 * @param code the status code, 1000-4999
 * @param reason the reason, at most 123 bytes of UTF-8 (it must fit a control frame)
 */
public record CloseStatus(int code, String reason) {

    public static final CloseStatus NORMAL = new CloseStatus(WebSocketProtocol.CLOSE_NORMAL, "");
    public static final CloseStatus GOING_AWAY = new CloseStatus(WebSocketProtocol.CLOSE_GOING_AWAY, "");
    /** Reported, never sent: the peer's close frame carried no status code. */
    public static final CloseStatus NO_STATUS_RECEIVED = new CloseStatus(WebSocketProtocol.CLOSE_NO_STATUS_RECEIVED,
            "no status received");
    /** Reported, never sent: the connection ended without a close frame from the peer. */
    public static final CloseStatus ABNORMAL_CLOSURE = new CloseStatus(WebSocketProtocol.CLOSE_ABNORMAL,
            "abnormal closure");

    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
        if (code < 1000 || code > 4999) {
            throw new IllegalArgumentException("close code must be in 1000-4999, got " + code);
        }
        if (ByteBufUtil.utf8Bytes(reason) > WebSocketProtocol.MAX_CLOSE_REASON_BYTES) {
            throw new IllegalArgumentException("close reason must fit " + WebSocketProtocol.MAX_CLOSE_REASON_BYTES
                    + " bytes of UTF-8, got " + ByteBufUtil.utf8Bytes(reason));
        }
    }

    /** A status with no reason. */
    public static CloseStatus of(int code) {
        return new CloseStatus(code, "");
    }

    public static CloseStatus of(int code, String reason) {
        return new CloseStatus(code, reason);
    }

    /** Whether this status may be sent in a close frame (1005, 1006, 1015 and unassigned codes may not). */
    public boolean isSendable() {
        return WebSocketProtocol.closeCodeProblem(code) == null;
    }

    @Override
    public String toString() {
        return code + (reason.isEmpty() ? "" : " " + reason);
    }
}
