package io.sluice.filters.framing;

/**
 * A frame or line announced or found on the wire is longer than the configured limit (this includes a length field
 * too large to be a Java array index). Raised as soon as the excess is known, before the frame is buffered.
 */
public class FrameTooLongException extends FramingException {

    private static final long serialVersionUID = 1L;

    public FrameTooLongException(String message) {
        super(message);
    }
}
