package io.sluice.websocket.handshake;

/**
 * A client's opening handshake failed: the server's answer broke a rule of RFC 6455 §4.1 (status, {@code Upgrade},
 * {@code Connection}, {@code Sec-WebSocket-Accept}, a subprotocol or extension that was not offered), was malformed,
 * or did not arrive in time. The message says which rule.
 */
public class HandshakeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
