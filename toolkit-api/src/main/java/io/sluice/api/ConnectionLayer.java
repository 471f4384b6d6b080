package io.sluice.api;

import io.netty.buffer.ByteBuf;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connection built on a lower one: it shares the lower connection's lifecycle, info and budget, and a filter
 * overrides {@link #receive()} and {@link #send(Publisher)}. Ownership rules are those of {@link Connection}.
 */
public abstract class ConnectionLayer implements Connection {

    protected final Connection lower;

    protected ConnectionLayer(Connection lower) {
        this.lower = java.util.Objects.requireNonNull(lower, "lower");
    }

    @Override
    public Flux<ByteBuf> receive() {
        return lower.receive();
    }

    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return lower.send(data);
    }

    @Override
    public void close() {
        lower.close();
    }

    @Override
    public Mono<Void> onClose() {
        return lower.onClose();
    }

    @Override
    public Mono<Void> ready() {
        return lower.ready();
    }

    @Override
    public ConnectionInfo info() {
        return lower.info();
    }

    @Override
    public BufferBudget budget() {
        return lower.budget();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + info();
    }
}
