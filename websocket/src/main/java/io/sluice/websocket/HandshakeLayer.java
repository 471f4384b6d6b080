package io.sluice.websocket;

import io.sluice.api.ConnectionInfo;
import io.sluice.api.ConnectionLayer;
import io.sluice.websocket.handshake.HandshakeResult;

/**
 * The upgraded connection of a handshake, whose info also carries the handshake's heads ({@link WebSocket#REQUEST},
 * {@link WebSocket#RESPONSE}); everything else, buffers included, passes straight through.
 */
final class HandshakeLayer extends ConnectionLayer {

    private final ConnectionInfo info;

    HandshakeLayer(HandshakeResult result) {
        super(result.connection());
        this.info = lower.info().with(WebSocket.REQUEST, result.request()).with(WebSocket.RESPONSE, result.response());
    }

    @Override
    public ConnectionInfo info() {
        return info;
    }
}
