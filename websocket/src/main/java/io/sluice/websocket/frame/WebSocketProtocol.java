package io.sluice.websocket.frame;

/**
 * The numbers of RFC 6455 (framing, close codes) and RFC 7692 (the permessage-deflate tail), in one place, with the
 * few rules that are about a number alone. No buffers cross this class.
 */
public final class WebSocketProtocol {

    /** First byte: this frame ends its message. */
    public static final int B0_FIN = 0x80;
    /** First byte: reserved bit 1, "per-message compressed" under permessage-deflate (RFC 7692 §6). */
    public static final int B0_RSV1 = 0x40;
    public static final int B0_RSV2 = 0x20;
    public static final int B0_RSV3 = 0x10;
    public static final int B0_OPCODE = 0x0f;
    /** Second byte: the payload is masked, and a 4-byte masking key follows the length. */
    public static final int B1_MASK = 0x80;
    public static final int B1_LENGTH = 0x7f;

    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_BINARY = 0x2;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xa;
    /** Opcodes with this bit set are control frames (RFC 6455 §5.5). */
    public static final int OPCODE_CONTROL_FLAG = 0x8;

    /** A 7-bit length of 126 means a 16-bit length follows; 127, a 64-bit one. */
    public static final int LENGTH_16 = 126;
    public static final int LENGTH_64 = 127;
    /** The largest payload a 7-bit length carries. */
    public static final int MAX_7_BIT_LENGTH = 125;
    /** The largest payload a 16-bit length carries. */
    public static final int MAX_16_BIT_LENGTH = 0xffff;
    /** Control frames carry at most 125 bytes (RFC 6455 §5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** A close reason fits a control frame after its 2-byte code. */
    public static final int MAX_CLOSE_REASON_BYTES = MAX_CONTROL_PAYLOAD - 2;

    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_GOING_AWAY = 1001;
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    public static final int CLOSE_UNSUPPORTED_DATA = 1003;
    /** Never sent: reported when a close frame carried no status code. */
    public static final int CLOSE_NO_STATUS_RECEIVED = 1005;
    /** Never sent: reported when the connection ended without a close frame. */
    public static final int CLOSE_ABNORMAL = 1006;
    public static final int CLOSE_INVALID_PAYLOAD = 1007;
    public static final int CLOSE_POLICY_VIOLATION = 1008;
    public static final int CLOSE_MESSAGE_TOO_BIG = 1009;
    public static final int CLOSE_MANDATORY_EXTENSION = 1010;
    public static final int CLOSE_INTERNAL_ERROR = 1011;
    public static final int CLOSE_SERVICE_RESTART = 1012;
    public static final int CLOSE_TRY_AGAIN_LATER = 1013;
    public static final int CLOSE_BAD_GATEWAY = 1014;
    /** Never sent: reported when the TLS handshake failed. */
    public static final int CLOSE_TLS_HANDSHAKE = 1015;

    /** RFC 7692 §7.2.1: {@code 00 00 FF FF}, the end of a sync flush, removed from each compressed message. */
    public static final int DEFLATE_TAIL = 0x0000ffff;

    private WebSocketProtocol() {
    }

    public static boolean isControl(int opcode) {
        return (opcode & OPCODE_CONTROL_FLAG) != 0;
    }

    /** Opcodes 0x3-0x7 and 0xB-0xF are reserved for future use (RFC 6455 §5.2). */
    public static boolean isReserved(int opcode) {
        return (opcode > OPCODE_BINARY && opcode < OPCODE_CLOSE) || opcode > OPCODE_PONG;
    }

    /**
     * Why {@code code} may not appear in a close frame, or {@code null} if it may: RFC 6455 §7.4 and the IANA
     * registry allow 1000-1003, 1007-1014 and 3000-4999 (registered and private use). 1004 is reserved, 1005, 1006
     * and 1015 are for reporting only, 1016-2999 are unassigned or reserved for extensions (none is negotiated).
     */
    public static String closeCodeProblem(int code) {
        if (code < 1000 || code >= 5000) {
            return "close code " + code + " is outside 1000-4999";
        }
        if (code == 1004 || code == CLOSE_NO_STATUS_RECEIVED || code == CLOSE_ABNORMAL || code == CLOSE_TLS_HANDSHAKE) {
            return "close code " + code + " is reserved and must not be sent";
        }
        if (code > CLOSE_BAD_GATEWAY && code < 3000) {
            return "close code " + code + " is not assigned";
        }
        return null;
    }

    /** A name for logs and error messages: {@code text}, {@code ping}, {@code 0x3}. */
    public static String opcodeName(int opcode) {
        return switch (opcode) {
            case OPCODE_CONTINUATION -> "continuation";
            case OPCODE_TEXT -> "text";
            case OPCODE_BINARY -> "binary";
            case OPCODE_CLOSE -> "close";
            case OPCODE_PING -> "ping";
            case OPCODE_PONG -> "pong";
            default -> "0x" + Integer.toHexString(opcode);
        };
    }
}
