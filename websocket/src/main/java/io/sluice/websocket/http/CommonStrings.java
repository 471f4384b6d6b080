package io.sluice.websocket.http;

import java.util.HashMap;
import java.util.Map;

/**
 * The strings nearly every WebSocket request head carries (header names as browsers and libraries spell them, and
 * the usual values), so that a parsed head kept for a connection's life shares them instead of holding copies of
 * its own: with many idle connections, each copy is tens of bytes per connection.
 */
final class CommonStrings {

    private static final Map<String, String> KNOWN = new HashMap<>();

    static {
        for (String s : new String[] {
                "GET", "HEAD", "HTTP/1.1", "HTTP/1.0", "/",
                "Host", "Upgrade", "Connection", "Origin", "User-Agent", "Pragma", "Cache-Control", "Accept",
                "Accept-Encoding", "Accept-Language", "Cookie", "Authorization", "Content-Length", "Content-Type",
                "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
                "Sec-WebSocket-Accept", "Sec-WebSocket-Origin", "Sec-WebSocket-Key1", "Sec-WebSocket-Key2",
                "host", "upgrade", "connection", "origin", "user-agent", "pragma", "cache-control", "accept",
                "accept-encoding", "accept-language", "cookie", "authorization", "content-length", "content-type",
                "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions",
                "sec-websocket-accept",
                "websocket", "WebSocket", "keep-alive, Upgrade", "13", "8", "7", "no-cache",
                "gzip, deflate", "gzip, deflate, br", "gzip, deflate, br, zstd", "*/*",
                "permessage-deflate", "permessage-deflate; client_max_window_bits"}) {
            KNOWN.put(s, s);
        }
    }

    private CommonStrings() {
    }

    /** The shared instance of {@code s} when it is a common one, else {@code s}. */
    static String share(String s) {
        String known = KNOWN.get(s);
        return known != null ? known : s;
    }
}
