package io.sluice.filters.framing;

import java.io.IOException;

/**
 * Bad framing from the peer: the bytes on the wire cannot be split into frames. A framing filter's upper
 * {@code receive()} errors with it after closing the lower connection and releasing every buffer it held.
 */
public class FramingException extends IOException {

    private static final long serialVersionUID = 1L;

    public FramingException(String message) {
        super(message);
    }
}
