package io.sluice.websocket.http;

import java.util.Objects;

/**
 * The start line and header fields of an HTTP request. Holds no buffers.
 *
 * @param method  the method token, case-sensitive ({@code GET})
 * @param target  the request target as sent: origin-form ({@code /chat?room=1}) or absolute-form
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 */
public record HttpRequestHead(String method, String target, String version, HttpHeaders headers) {

    public HttpRequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }

    /** The path of the target, without its query: {@code /chat} for {@code /chat?room=1} or {@code http://h/chat}. */
    public String path() {
        String t = target;
        if (!t.startsWith("/")) {
            int scheme = t.indexOf("://");
            if (scheme < 0) {
                return t;
            }
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int query = t.indexOf('?');
        return query < 0 ? t : t.substring(0, query);
    }

    /** The query of the target without the {@code ?}, or null when there is none. */
    public String query() {
        int query = target.indexOf('?');
        return query < 0 ? null : target.substring(query + 1);
    }

    /** Whether the request is HTTP/1.1 (or a later 1.x). */
    public boolean isHttp11() {
        return !version.equals("HTTP/1.0");
    }
}
