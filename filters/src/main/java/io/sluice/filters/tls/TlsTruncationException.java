package io.sluice.filters.tls;

import javax.net.ssl.SSLException;

/**
 * The lower connection ended without the peer's {@code close_notify}: the data may have been cut short by an
 * attacker or a crash (a truncation). Everything decrypted before is delivered first; then {@code receive()} fails
 * with this exception. The cause is the engine's own complaint, when it made one.
 */
public class TlsTruncationException extends SSLException {

    private static final long serialVersionUID = 1L;

    public TlsTruncationException(String message, Throwable cause) {
        super(message, cause);
    }
}
