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

    /**
     * The target in origin-form, path and query: the target itself when it is in origin-form, and {@code /chat?room=1}
     * for {@code http://h/chat?room=1} (RFC 7230 §5.3.1-§5.3.2).
     */
    public String originForm() {
        if (target.startsWith("/")) {
            return target;
        }
        String q = query();
        return q == null ? path() : path() + '?' + q;
    }

    /**
     * The authority an absolute-form target names ({@code h:8080} for {@code http://h:8080/chat}), which a server
     * uses instead of the {@code Host} field (RFC 7230 §5.4), without any {@code userinfo@}; null for an origin-form
     * target.
     */
    public String authority() {
        int scheme = target.startsWith("/") ? -1 : target.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int start = scheme + 3;
        int end = start;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            if (target.charAt(end) == '@') {
                start = end + 1;
            }
            end++;
        }
        return target.substring(start, end);
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
