package io.sluice.reactor;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.BufferBudget;
import io.sluice.api.Filter;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings servers and clients share: the host, the filters stacked on each connection, where each connection's
 * budget takes memory from and its water marks, and the event-loop threads.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class TransportBuilder<B extends TransportBuilder<B>> {

    String host = "127.0.0.1";
    Filter filter = Filter.identity();
    ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    long lowWaterMark = BufferBudget.DEFAULT_LOW_WATER_MARK;
    long highWaterMark = BufferBudget.DEFAULT_HIGH_WATER_MARK;
    int eventLoopThreads;

    TransportBuilder(int defaultEventLoopThreads) {
        this.eventLoopThreads = defaultEventLoopThreads;
    }

    abstract B self();

    /** For a server the address to bind, for a client the one to connect to; {@code 127.0.0.1} unless set. */
    public B host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return self();
    }

    /** Adds a filter on top of those already added: the first added sits directly on the socket. */
    public B filter(Filter filter) {
        this.filter = this.filter.then(Objects.requireNonNull(filter, "filter"));
        return self();
    }

    /** The allocator every connection's budget takes memory from; Netty's default unless set. */
    public B allocator(ByteBufAllocator allocator) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        return self();
    }

    /**
     * Each connection's memory budget: reading stops at {@code high} outstanding bytes and resumes at {@code low}.
     * Default 256 KiB / 512 KiB.
     */
    public B budget(long low, long high) {
        BufferBudget.builder().waterMarks(low, high); // validates
        this.lowWaterMark = low;
        this.highWaterMark = high;
        return self();
    }

    /** Event-loop threads serving the connections. */
    public B eventLoopThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be >= 1, got " + threads);
        }
        this.eventLoopThreads = threads;
        return self();
    }

    ConnectionSettings settings(Duration idleTimeout) {
        return new ConnectionSettings(allocator, lowWaterMark, highWaterMark, idleTimeout);
    }
}
