package io.sluice.filters.framing;

/** The lower stream completed in the middle of a frame: the peer closed without finishing what it started. */
public class TruncatedFrameException extends FramingException {

    private static final long serialVersionUID = 1L;

    public TruncatedFrameException(String message) {
        super(message);
    }
}
