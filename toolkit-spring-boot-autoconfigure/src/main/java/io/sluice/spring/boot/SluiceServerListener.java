package io.sluice.spring.boot;

import io.sluice.reactor.Server;

/**
 * Told when a server of {@link SluiceServers} has bound and when it has shut down; every bean of this type is called.
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
}
