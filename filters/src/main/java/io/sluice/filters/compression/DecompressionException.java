package io.sluice.filters.compression;

import java.io.IOException;

/** The peer sent compressed data that cannot be decoded: corrupt, truncated, or over a limit. */
public class DecompressionException extends IOException {

    private static final long serialVersionUID = 1L;

    public DecompressionException(String message) {
        super(message);
    }

    public DecompressionException(String message, Throwable cause) {
        super(message, cause);
    }
}
