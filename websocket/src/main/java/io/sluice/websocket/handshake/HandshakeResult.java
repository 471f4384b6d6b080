package io.sluice.websocket.handshake;

import io.sluice.api.Connection;
import io.sluice.websocket.PerMessageDeflate;
import io.sluice.websocket.WebSocketRole;
import io.sluice.websocket.WebSocketVersion;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpResponseHead;
import java.util.Objects;

/**
 * A completed opening handshake: what was agreed, and the connection to speak WebSocket on.
 *
 * <p>Ownership: the receiver of the result owns {@link #connection()}. Its {@code receive()} starts with any bytes
 * that followed the handshake on the wire (a peer may send its first frames right behind its head) and then
 * continues with the lower stream; until it is subscribed those bytes are held, and closing the connection through
 * {@link Connection#close()} releases them. Subscribe to it, or close it: closing only the lower connection would
 * leave the held bytes to the budget's leak check.
 *
 * @param version     the wire format: RFC 6455 (or HyBi 7/8, same framing) or Hixie-76
 * @param role        which end we are
 * @param subprotocol the agreed subprotocol, or null
 * @param deflate     the agreed permessage-deflate parameters, or null when the connection is not compressed
 * @param request     the request head: received (server) or sent (client); its path and headers
 * @param response    the response head: sent (server) or received (client)
 * @param connection  the upgraded connection
 */
public record HandshakeResult(WebSocketVersion version, WebSocketRole role, String subprotocol,
                              PerMessageDeflate deflate, HttpRequestHead request, HttpResponseHead response,
                              Connection connection) {

    public HandshakeResult {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(connection, "connection");
    }
}
