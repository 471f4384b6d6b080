package io.sluice.reactor;

import io.sluice.api.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The open connections of a server or client: a count, a snapshot to iterate, and their metrics. Connections are
 * added once active and removed once {@linkplain Connection#onClose() finished}. Updated once per connection, never
 * per buffer.
 */
public final class ConnectionRegistry {

    private final ConcurrentHashMap<String, ChannelConnection> open = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final ConnectionMetrics metrics = new ConnectionMetrics(this);
    private final Sinks.Empty<Void> drained = Sinks.empty();
    private volatile boolean draining;

    ConnectionRegistry() {
    }

    /** Number of open connections. */
    public int active() {
        return open.size();
    }

    /** A snapshot of the open connections (the transport-level connection of each, below any filter). */
    public List<Connection> snapshot() {
        return new ArrayList<>(open.values());
    }

    public ConnectionMetrics metrics() {
        return metrics;
    }

    long outstandingBytes() {
        long sum = 0;
        for (ChannelConnection c : open.values()) {
            sum += c.budget().outstandingBytes();
        }
        return sum;
    }

    /** Reserves a place for a new channel; false when {@code limit} channels are already admitted. */
    boolean admit(int limit) {
        for (;;) {
            int n = admitted.get();
            if (n >= limit) {
                return false;
            }
            if (admitted.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void add(ChannelConnection connection) {
        open.put(connection.info().id(), connection);
        metrics.onAccepted();
        if (draining) {
            connection.close();
        }
    }

    void remove(ChannelConnection connection) {
        // The place is given back before the connection leaves the open set: once active() says it is gone, a new
        // connection may take its place (the other order refused one now and then).
        if (connection.admitted()) {
            admitted.decrementAndGet();
        }
        if (open.remove(connection.info().id()) != null) {
            metrics.onClosed();
        }
        if (draining && open.isEmpty()) {
            drained.tryEmitEmpty();
        }
    }

    /** From now on new connections are closed at once; the result completes when none is open. */
    Mono<Void> drain() {
        draining = true;
        if (open.isEmpty()) {
            drained.tryEmitEmpty();
        }
        return drained.asMono();
    }

    /** Every open connection, for shutdown. */
    Iterable<ChannelConnection> connections() {
        return open.values();
    }
}
