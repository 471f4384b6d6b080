package io.sluice.websocket.http;

/**
 * An HTTP head that cannot be accepted: malformed (400), too large (431), or of an unsupported HTTP version (505).
 * The message is the short reason a server sends back in its answer; {@link #status()} is the status to answer with.
 */
public class HttpHeadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpHeadException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    static HttpHeadException malformed(String reason) {
        return new HttpHeadException(400, reason);
    }

    static HttpHeadException tooLarge(String reason) {
        return new HttpHeadException(431, reason);
    }

    /** The HTTP status that answers this problem. */
    public int status() {
        return status;
    }
}
