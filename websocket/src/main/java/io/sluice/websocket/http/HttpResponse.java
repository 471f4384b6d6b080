package io.sluice.websocket.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.Objects;

/**
 * A complete HTTP response to a plain (non-upgrade) request: status, header fields and an optional body.
 *
 * <p>Ownership: the response owns its body buffer from construction. Whoever holds the response either hands it to
 * the server handshake, which writes the body to the connection (taking the buffer) or releases it when it cannot,
 * or calls {@link #release()}. The body should come from the connection's budget: the handler is given its
 * allocator. The writer adds {@code Content-Length} and {@code Connection: close} (the connection closes after the
 * response); header fields of those names set here are replaced.
 */
public final class HttpResponse {

    private final int status;
    private final HttpHeaders headers;
    private final ByteBuf body;

    private HttpResponse(int status, HttpHeaders headers, ByteBuf body) {
        if (status < 200 || status > 999) {
            throw new IllegalArgumentException("a final response status is 200..999, got " + status);
        }
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body;
    }

    /** A response without a body. */
    public static HttpResponse of(int status, HttpHeaders headers) {
        return new HttpResponse(status, headers, null);
    }

    /** A response with {@code body}, whose ownership passes to the response. */
    public static HttpResponse of(int status, HttpHeaders headers, ByteBuf body) {
        Objects.requireNonNull(body, "body");
        try {
            return new HttpResponse(status, headers, body);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
    }

    /** A {@code text/plain} UTF-8 response whose body is {@code text} followed by a newline. */
    public static HttpResponse text(int status, String text, ByteBufAllocator allocator) {
        return text(status, HttpHeaders.empty(), text, allocator);
    }

    /** {@link #text(int, String, ByteBufAllocator)} with extra header fields. */
    public static HttpResponse text(int status, HttpHeaders headers, String text, ByteBufAllocator allocator) {
        ByteBuf body = allocator.buffer(ByteBufUtil.utf8MaxBytes(text) + 1);
        ByteBufUtil.writeUtf8(body, text);
        body.writeByte('\n');
        return of(status, headers.without("Content-Type").with("Content-Type", "text/plain; charset=utf-8"), body);
    }

    /** 404 Not Found, with the path in a one-line text body. */
    public static HttpResponse notFound(String path, ByteBufAllocator allocator) {
        return text(404, "not found: " + path, allocator);
    }

    public int status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The body, still owned by this response; null when there is none. */
    public ByteBuf body() {
        return body;
    }

    /** Releases the body, if any; the response must not be written afterwards. */
    public void release() {
        if (body != null && body.refCnt() > 0) {
            body.release();
        }
    }

    /**
     * The bytes to send: head and body in one buffer, or only the head (with the body's length) when {@code headOnly},
     * as the answer to a HEAD request is. Takes the body: it is released here in every case.
     */
    public ByteBuf encode(ByteBufAllocator allocator, boolean headOnly) {
        try {
            int length = body == null ? 0 : body.readableBytes();
            // RFC 7230 §6.7: a response that names an Upgrade (426) also lists it in Connection.
            HttpHeaders fields = headers.without("Content-Length").without("Connection")
                    .with("Content-Length", Integer.toString(length))
                    .with("Connection", headers.contains("Upgrade") ? "Upgrade, close" : "close");
            ByteBuf out = HeadWriter.write(HttpResponseHead.of(status, fields), allocator, headOnly ? 0 : length);
            if (!headOnly && body != null) {
                out.writeBytes(body, body.readerIndex(), length);
            }
            return out;
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + headers + (body == null ? "" : ", " + body.readableBytes() + " bytes")
                + "]";
    }
}
