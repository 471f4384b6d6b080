package io.sluice.spring.boot.autoconfigure;

/** Where a WebSocket endpoint runs. */
public enum WebSocketMount {
    /** On the server's own host and port. */
    PORT,
    /** On a path of the application's WebFlux server, on its port. */
    WEBFLUX
}
