package io.sluice.api;

import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * How a server asks one connection's application to finish when it shuts down gracefully. Found in the connection's
 * {@link ConnectionInfo} under {@link #KEY} (on every layer above the transport, since layers share their lower
 * connection's info) when the runtime supports it.
 *
 * <p>By default a graceful shutdown ends the connection's inbound stream: a handler that finishes when its input ends
 * then finishes. A protocol that ends with a handshake of its own (a WebSocket close frame and its answer) needs to
 * go on reading for that answer; it calls {@link #takeOver()}, and the server then leaves the input open and only
 * signals the shutdown, trusting the application to end its protocol and finish within the server's grace period
 * (after which the server closes the connection anyway).
 *
 * <p>Holds no buffers.
 */
public interface GracefulShutdown {

    /** The attribute under which a server connection's {@link GracefulShutdown} is found. */
    ConnectionInfo.Key<GracefulShutdown> KEY = ConnectionInfo.Key.of("sluice.graceful-shutdown");

    /** The graceful shutdown of {@code connection}'s server, if its runtime offers one. */
    static Optional<GracefulShutdown> of(Connection connection) {
        return connection.info().attribute(KEY);
    }

    /**
     * Takes over this connection's graceful shutdown: from now on a shutdown leaves the connection's input open and
     * completes the returned {@link Mono} instead, on which the application starts ending its protocol. When the
     * shutdown has already started, the input is already ending, and the {@code Mono} completes at once. Calling it
     * again returns the same signal.
     */
    Mono<Void> takeOver();
}
