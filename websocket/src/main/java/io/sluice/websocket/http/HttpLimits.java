package io.sluice.websocket.http;

/**
 * Bounds on an HTTP head read from the network: its size in bytes, counted from the first byte of the start line to
 * the end of the empty line that ends the head (leading empty lines included), and the number of header fields. A
 * head beyond either is refused with 431 (Request Header Fields Too Large) as soon as the bound is crossed, so a
 * peer can never make the reader hold more than {@code maxHeadSize} bytes of head.
 */
public record HttpLimits(int maxHeadSize, int maxHeaderCount) {

    /** 8 KiB of head and 100 header fields: browsers send well under 2 KiB and 20 fields. */
    public static final HttpLimits DEFAULT = new HttpLimits(8192, 100);

    public HttpLimits {
        if (maxHeadSize < 16) {
            throw new IllegalArgumentException("max head size must be >= 16, got " + maxHeadSize);
        }
        if (maxHeaderCount < 1) {
            throw new IllegalArgumentException("max header count must be >= 1, got " + maxHeaderCount);
        }
    }
}
