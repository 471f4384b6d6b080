package io.sluice.filters.tls;

import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The TLS filter's log lines and failure messages. A failure is one WARN line naming the connection and the cause;
 * ends that are not TLS failures (a reset, a closed connection) are logged at debug only. Loggers are looked up
 * when used, so that a logger factory installed later (a test's capture) sees the lines.
 */
final class TlsLog {

    private TlsLog() {
    }

    static void failure(String id, boolean handshaking, Throwable cause) {
        Loggers.getLogger(Tls.class).warn("connection {}: TLS {} failed, closing: {}", id,
                handshaking ? "handshake" : "session", describe(cause));
    }

    static void debug(String id, String format, Object... args) {
        Logger log = Loggers.getLogger(Tls.class);
        if (log.isDebugEnabled()) {
            Object[] all = new Object[args.length + 1];
            all[0] = id;
            System.arraycopy(args, 0, all, 1, args.length);
            log.debug("connection {}: " + format, all);
        }
    }

    static void unexpectedAfterClose(String id, Throwable e) {
        Loggers.getLogger(Tls.class).error("connection " + id + ": unexpected error after close", e);
    }

    /** What the application sees when the handshake failed because of {@code cause}. */
    static TlsHandshakeException handshakeFailure(Throwable cause) {
        if (cause instanceof TlsHandshakeException handshake) {
            return handshake;
        }
        return new TlsHandshakeException("TLS handshake failed: " + cause.getMessage(), cause);
    }

    /** The cause and, when it says more, its root cause. */
    static String describe(Throwable cause) {
        String text = cause.toString();
        Throwable root = cause.getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == null || text.contains(String.valueOf(root.getMessage()))) {
            return text;
        }
        return text + " (cause: " + root + ")";
    }
}
