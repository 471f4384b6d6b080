package io.sluice.websocket.http;

/**
 * The inbound stream ended before a whole head (or the bytes a handshake needs after it) arrived. A server answers a
 * truncated head with 400; {@link #bytesReceived()} of 0 means the peer sent nothing at all, which is not worth an
 * answer.
 */
public final class IncompleteHeadException extends HttpHeadException {

    private static final long serialVersionUID = 1L;

    private final long bytesReceived;

    public IncompleteHeadException(String reason, long bytesReceived) {
        super(400, reason);
        this.bytesReceived = bytesReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }
}
