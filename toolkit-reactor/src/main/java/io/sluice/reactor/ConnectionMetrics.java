package io.sluice.reactor;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a server's (or a client's) connections since it started. Cheap to update from every event loop;
 * read them at any time. {@link io.sluice.reactor.metrics.SluiceMeters} binds them to Micrometer.
 */
public final class ConnectionMetrics {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder leaks = new LongAdder();
    private final ConnectionRegistry registry;

    ConnectionMetrics(ConnectionRegistry registry) {
        this.registry = registry;
    }

    /** Connections accepted (server) or established (client). */
    public long accepted() {
        return accepted.sum();
    }

    /** Connections refused because the connection limit was reached. */
    public long refused() {
        return refused.sum();
    }

    /** Connections currently open. */
    public long active() {
        return registry.active();
    }

    /** Connections that have finished closing. */
    public long closed() {
        return closed.sum();
    }

    /**
     * Bytes read from sockets. Each connection adds its count at the end of each read batch and when it closes, so
     * this lags the sockets by at most one read batch per connection.
     */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /**
     * Bytes handed to sockets for writing. Each connection adds its count when it flushes and when it closes, so
     * this lags the sockets by at most one flush per connection.
     */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Connections that closed with buffers outstanding (see {@link io.sluice.api.BufferBudget#close()}). */
    public long leaks() {
        return leaks.sum();
    }

    /** Bytes currently held by all open connections' budgets. */
    public long outstandingBytes() {
        return registry.outstandingBytes();
    }

    void onAccepted() {
        accepted.increment();
    }

    void onRefused() {
        refused.increment();
    }

    void onClosed() {
        closed.increment();
    }

    void addBytesIn(long n) {
        bytesIn.add(n);
    }

    void addBytesOut(long n) {
        bytesOut.add(n);
    }

    void onLeak() {
        leaks.increment();
    }

    @Override
    public String toString() {
        return "accepted=" + accepted() + " active=" + active() + " closed=" + closed() + " refused=" + refused()
                + " in=" + bytesIn() + "B out=" + bytesOut() + "B leaks=" + leaks();
    }
}
