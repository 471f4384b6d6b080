package io.sluice.websocket;

import io.sluice.api.ConnectionInfo;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpResponseHead;
import java.net.URI;

/**
 * Where applications start: a WebSocket endpoint for a {@code Server}, and a client.
 *
 * <pre>{@code
 * WebSocketServer echo = WebSocket.server()
 *         .paths("/echo")
 *         .permessageDeflate()
 *         .build(session -> session.send(session.receive()));
 * Server server = Server.tcp().port(9001).handler(echo).bind().block();
 *
 * WebSocketClient client = WebSocket.client("ws://127.0.0.1:9001/echo").permessageDeflate().build();
 * WebSocketSession session = client.connect().block();
 * ...
 * client.dispose().block();
 * }</pre>
 *
 * <p>Sessions made by {@link WebSocketServer} and {@link WebSocketClient} carry the opening handshake's heads in
 * their {@link WebSocketSession#info() info}: {@link #REQUEST} (its path, query, cookies, headers) and
 * {@link #RESPONSE}. Buffer ownership is {@link WebSocketSession}'s and {@link WebSocketMessage}'s.
 */
public final class WebSocket {

    /** The opening handshake's request head: the one received (server) or sent (client). Holds no buffers. */
    public static final ConnectionInfo.Key<HttpRequestHead> REQUEST = ConnectionInfo.Key.of("websocket.request");

    /** The opening handshake's response head: the one sent (server) or received (client). Holds no buffers. */
    public static final ConnectionInfo.Key<HttpResponseHead> RESPONSE = ConnectionInfo.Key.of("websocket.response");

    private WebSocket() {
    }

    /** A WebSocket endpoint to serve, as a {@link io.sluice.api.Handler}; see {@link WebSocketServer}. */
    public static WebSocketServer.Builder server() {
        return WebSocketServer.builder();
    }

    /** A client of {@code uri}, {@code ws://host[:port]/path[?query]} or {@code wss://...}; see {@link WebSocketClient}. */
    public static WebSocketClient.Builder client(String uri) {
        return client(URI.create(uri));
    }

    /** A client of {@code uri}; see {@link WebSocketClient}. */
    public static WebSocketClient.Builder client(URI uri) {
        return WebSocketClient.builder(uri);
    }
}
