package io.sluice.filters.compression;

/** Decompressed data exceeded a configured limit: a decompression bomb, or a limit set too low. */
public class DecompressionLimitException extends DecompressionException {

    private static final long serialVersionUID = 1L;

    public DecompressionLimitException(String message) {
        super(message);
    }
}
