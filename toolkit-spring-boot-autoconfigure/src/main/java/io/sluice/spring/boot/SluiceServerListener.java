package io.sluice.spring.boot;

import io.sluice.reactor.Server;
import io.sluice.reactor.Takeover;

/**
 * Told when a server of {@link SluiceServers} has bound and when it has shut down, and when a WebSocket endpoint of
 * {@link SluiceWebFluxEndpoints} is mounted and unmounted; every bean of this type is called.
 * The starter's Micrometer binding is one. Both methods must return quickly and must not block: shut-down
 * notifications may come from an event-loop thread.
 */
public interface SluiceServerListener {

    /** The server named {@code name} is accepting connections. */
    default void bound(String name, Server server) {
    }

    /** The server named {@code name} has finished shutting down. */
    default void shutDown(String name, Server server) {
    }

    /** The endpoint named {@code name} is mounted on the WebFlux server and takes its upgrades over. */
    default void mounted(String name, Takeover endpoint) {
    }

    /** The endpoint named {@code name} has finished shutting down. */
    default void unmounted(String name, Takeover endpoint) {
    }
}
