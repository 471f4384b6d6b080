package io.sluice.api;

import java.net.SocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about a connection: its id, addresses and typed attributes. Immutable: a filter that learns
 * something (an ALPN protocol, a negotiated extension) exposes a new info built with {@link #with(Key, Object)}.
 */
public final class ConnectionInfo {

    /** A typed attribute name, compared by identity. */
    public static final class Key<T> {
        private final String name;

        private Key(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public static <T> Key<T> of(String name) {
            return new Key<>(name);
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final String id;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final Map<Key<?>, Object> attributes;

    private ConnectionInfo(String id, SocketAddress local, SocketAddress remote, Map<Key<?>, Object> attributes) {
        this.id = Objects.requireNonNull(id, "id");
        this.localAddress = local;
        this.remoteAddress = remote;
        this.attributes = attributes;
    }

    public static ConnectionInfo of(String id, SocketAddress localAddress, SocketAddress remoteAddress) {
        return new ConnectionInfo(id, localAddress, remoteAddress, Map.of());
    }

    /** A short, unique, loggable id such as {@code 1a2b3c4d}. */
    public String id() {
        return id;
    }

    /** The local address, or {@code null} for transports without one. */
    public SocketAddress localAddress() {
        return localAddress;
    }

    /** The peer's address, or {@code null} for transports without one. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    public <T> Optional<T> attribute(Key<T> key) {
        @SuppressWarnings("unchecked")
        T value = (T) attributes.get(key);
        return Optional.ofNullable(value);
    }

    /** A copy of this info with {@code key} set to {@code value}. */
    public <T> ConnectionInfo with(Key<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        java.util.HashMap<Key<?>, Object> copy = new java.util.HashMap<>(attributes);
        copy.put(key, value);
        return new ConnectionInfo(id, localAddress, remoteAddress, Map.copyOf(copy));
    }

    /**
     * A copy of this info with other addresses and the same id and attributes: for a filter that learns the real
     * endpoints of a relayed connection (the PROXY protocol's header), so that layers above it see those.
     */
    public ConnectionInfo withAddresses(SocketAddress localAddress, SocketAddress remoteAddress) {
        return new ConnectionInfo(id, localAddress, remoteAddress, attributes);
    }

    @Override
    public String toString() {
        return "[" + id + (remoteAddress != null ? ", " + localAddress + " <- " + remoteAddress : "") + "]";
    }
}
