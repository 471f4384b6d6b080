package io.sluice.websocket.http;

import java.util.Objects;

/** The status line and header fields of an HTTP response. Holds no buffers. */
public record HttpResponseHead(String version, int status, String reason, HttpHeaders headers) {

    public HttpResponseHead {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits, got " + status);
        }
    }

    /** An {@code HTTP/1.1} response with the standard reason phrase for {@code status}. */
    public static HttpResponseHead of(int status, HttpHeaders headers) {
        return new HttpResponseHead("HTTP/1.1", status, HttpStatus.reason(status), headers);
    }
}
