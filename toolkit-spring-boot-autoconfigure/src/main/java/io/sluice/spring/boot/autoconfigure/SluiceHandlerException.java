package io.sluice.spring.boot.autoconfigure;

import java.util.Collection;
import java.util.List;

/**
 * The {@link io.sluice.api.Handler} beans do not match the configured servers: a server has none or several, or a
 * handler names a server that is not configured. Fails the creation of the application context; the starter's
 * failure analyzer reports its {@link #action()}.
 */
public class SluiceHandlerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    private SluiceHandlerException(String description, String action) {
        super(description);
        this.action = action;
    }

    /** What to change to fix it. */
    public String action() {
        return action;
    }

    static SluiceHandlerException missing(String server, boolean webSocket, List<String> unmarkedHandlers) {
        String action = "Define a " + kind(webSocket) + " bean annotated @SluiceHandler(\"" + server + "\")"
                + (unmarkedHandlers.isEmpty() ? "" : " (Handler beans without it: " + unmarkedHandlers + ")")
                + ", or set " + PropertyCheck.prefixOf(server) + ".enabled=false.";
        return new SluiceHandlerException("Sluice server '" + server + "' (configured under "
                + PropertyCheck.prefixOf(server) + ") has no handler.", action);
    }

    static SluiceHandlerException wrongKind(String server, String handlerBean, boolean webSocket) {
        String prefix = PropertyCheck.prefixOf(server);
        String description = webSocket
                ? "Sluice server '" + server + "' is a WebSocket endpoint (" + prefix + ".websocket.path is set), "
                        + "but its handler bean '" + handlerBean + "' is not a SluiceWebSocketHandler."
                : "Sluice server '" + server + "' is a TCP server (" + prefix + ".websocket.path is not set), "
                        + "but its handler bean '" + handlerBean + "' is not a Handler.";
        String action = webSocket
                ? "Make '" + handlerBean + "' a SluiceWebSocketHandler (session -> ...), or remove " + prefix
                        + ".websocket.path."
                : "Make '" + handlerBean + "' a Handler (connection -> ...), or set " + prefix + ".websocket.path.";
        return new SluiceHandlerException(description, action);
    }

    private static String kind(boolean webSocket) {
        return webSocket ? "SluiceWebSocketHandler" : "Handler";
    }

    static SluiceHandlerException ambiguous(String server, List<String> handlerBeans) {
        return new SluiceHandlerException("Sluice server '" + server + "' has " + handlerBeans.size()
                + " handlers: beans " + handlerBeans + " are all annotated @SluiceHandler(\"" + server + "\").",
                "Keep @SluiceHandler(\"" + server + "\") on one of them.");
    }

    static SluiceHandlerException unknownServer(String handlerBean, String server, Collection<String> configured) {
        return new SluiceHandlerException("Handler bean '" + handlerBean + "' is annotated @SluiceHandler(\""
                + server + "\"), but no Sluice server '" + server + "' is configured (configured: " + configured
                + ").", "Configure it under " + PropertyCheck.prefixOf(server) + ", or correct the name in the "
                + "annotation.");
    }
}
