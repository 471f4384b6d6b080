package io.sluice.spring.boot.autoconfigure;

import io.sluice.spring.boot.SluiceWebSocketHandler;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketServer;
import io.sluice.websocket.WebSocketSettings;
import io.sluice.websocket.handshake.ServerDeflateOptions;

/**
 * Makes a {@link WebSocketServer} from {@code sluice.servers.<name>.websocket.*} and the server's
 * {@link SluiceWebSocketHandler}. As in {@link ServerBuilders}, each setting is tried with a build right after it is
 * set, so that a value the builders refuse is reported against its own property.
 */
final class WebSocketEndpoints {

    private WebSocketEndpoints() {
    }

    /** Whether {@code settings} configure a WebSocket endpoint: its path is set. */
    static boolean configured(WebSocketProperties settings) {
        return settings.getPath() != null;
    }

    /**
     * The endpoint of {@code settings}, running {@code handler} on each session.
     *
     * @param secure whether the server runs under TLS (Hixie-76's location then says {@code wss://})
     */
    static WebSocketServer create(PropertyCheck at, WebSocketProperties settings, boolean secure,
            SluiceWebSocketHandler handler) {
        WebSocketServer.Builder endpoint = WebSocket.server().secure(secure);
        String path = settings.getPath();
        if (path.isEmpty() || !path.startsWith("/") || path.chars().anyMatch(c -> c == '?' || c == '#' || c <= ' ')) {
            throw at.invalid("websocket.path", path,
                    "must start with / and hold no query, fragment, space or control character");
        }
        at.set("websocket.path", path, endpoint::paths);
        at.set("websocket.subprotocols", settings.getSubprotocols(),
                v -> endpoint.subprotocols(v.toArray(String[]::new)));
        at.set("websocket.allowed-origins", settings.getAllowedOrigins(),
                v -> endpoint.allowedOrigins(v.toArray(String[]::new)));
        at.set("websocket.handshake-timeout", settings.getHandshakeTimeout(), endpoint::handshakeTimeout);
        endpoint.hixie76(settings.isHixie76());
        PermessageDeflateProperties deflate = settings.getPermessageDeflate();
        if (deflate.isEnabled()) {
            at.set("websocket.permessage-deflate.client-max-window-bits", deflate.getClientMaxWindowBits(),
                    v -> endpoint.permessageDeflate(new ServerDeflateOptions(deflate.isServerNoContextTakeover(),
                            deflate.isClientNoContextTakeover(), v)));
        }
        endpoint.settings(settings(at, settings));
        return endpoint.build(handler::handle);
    }

    private static WebSocketSettings settings(PropertyCheck at, WebSocketProperties settings) {
        WebSocketSettings.Builder session = WebSocketSettings.builder();
        at.set("websocket.max-frame-size", settings.getMaxFrameSize(),
                v -> session.maxFrameSize(at.intBytes("websocket.max-frame-size", v)).build());
        at.set("websocket.max-message-size", settings.getMaxMessageSize(),
                v -> session.maxMessageSize(v.toBytes()).build());
        at.set("websocket.ping-interval", settings.getPingInterval(), v -> session.pingInterval(v).build());
        at.set("websocket.pong-timeout", settings.getPongTimeout(), v -> session.pongTimeout(v).build());
        at.set("websocket.close-timeout", settings.getCloseTimeout(), v -> session.closeTimeout(v).build());
        PermessageDeflateProperties deflate = settings.getPermessageDeflate();
        at.set("websocket.permessage-deflate.threshold", deflate.getThreshold(),
                v -> session.compressionThreshold(at.intBytes("websocket.permessage-deflate.threshold", v)).build());
        at.set("websocket.permessage-deflate.level", deflate.getLevel(), v -> session.compressionLevel(v).build());
        return session.build();
    }
}
