package io.sluice.websocket.frame;

import java.io.IOException;

/**
 * The peer broke a rule of the protocol: the connection is failed with {@link #closeCode()} (1002 protocol error,
 * 1007 invalid payload, 1009 too big) and a close reason made of this exception's message.
 */
public final class WebSocketProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int closeCode;

    public WebSocketProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** The close code to fail the connection with. */
    public int closeCode() {
        return closeCode;
    }
}
