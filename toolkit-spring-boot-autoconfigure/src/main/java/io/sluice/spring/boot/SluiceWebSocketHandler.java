package io.sluice.spring.boot;

import io.sluice.websocket.WebSocketSession;
import org.reactivestreams.Publisher;

/**
 * What a WebSocket endpoint does with each session: the bean annotated {@link SluiceHandler @SluiceHandler("<name>")}
 * for a server configured with {@code sluice.servers.<name>.websocket.path}, in place of a
 * {@link io.sluice.api.Handler}:
 *
 * <pre>{@code
 * @Bean
 * @SluiceHandler("chat")
 * SluiceWebSocketHandler chat(ChatRoom room) {
 *     return room::join;
 * }
 * }</pre>
 *
 * The endpoint runs the opening handshake, then calls {@link #handle} once per session. The session ends as
 * {@link io.sluice.websocket.WebSocketServer} says: 1000 when the returned publisher completes, 1011 when it fails,
 * the publisher cancelled when the peer closes first, 1001 when the server shuts down.
 *
 * <p>Ownership: messages the handler receives are its own to release; {@code send} takes ownership of those it
 * sends (see {@link WebSocketSession}).
 */
@FunctionalInterface
public interface SluiceWebSocketHandler {

    /** Serves one session; the session ends when the returned publisher ends. */
    Publisher<Void> handle(WebSocketSession session);
}
