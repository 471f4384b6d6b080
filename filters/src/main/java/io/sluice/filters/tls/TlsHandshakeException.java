package io.sluice.filters.tls;

import javax.net.ssl.SSLHandshakeException;

/**
 * The TLS handshake of a connection failed: the engine refused the peer (unknown CA, expired certificate, no
 * common protocol), the peer sent something that is not TLS, the connection ended or was reset, or the handshake
 * timed out. The cause, when there is one, is the underlying error. Seen by the application as the error of the
 * upper connection's {@code receive()} and of each {@code send} that was waiting for the handshake.
 */
public class TlsHandshakeException extends SSLHandshakeException {

    private static final long serialVersionUID = 1L;

    public TlsHandshakeException(String message, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
