package io.sluice.reactor;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a server's (or a client's) connections since it started. Cheap to update from every event loop;
 * read them at any time. {@link io.sluice.reactor.metrics.SluiceMeters} binds them to Micrometer.
 */
public final class ConnectionMetrics {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder closed = new LongAdder();
    /** Byte counts per event loop, each added to by its loop alone: see {@link LoopByteCounts}. */
    private final ConcurrentHashMap<EventLoop, LoopByteCounts> bytes = new ConcurrentHashMap<>();
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

    /** Bytes read from sockets. */
    public long bytesIn() {
        long sum = 0;
        for (LoopByteCounts b : bytes.values()) {
            sum += b.in();
        }
        return sum;
    }

    /** Bytes handed to sockets for writing. */
    public long bytesOut() {
        long sum = 0;
        for (LoopByteCounts b : bytes.values()) {
            sum += b.out();
        }
        return sum;
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

    /** The counts a connection on {@code loop} adds to, from that loop only; looked up once per connection. */
    LoopByteCounts byteCountsOf(EventLoop loop) {
        return bytes.computeIfAbsent(loop, l -> new LoopByteCounts());
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
