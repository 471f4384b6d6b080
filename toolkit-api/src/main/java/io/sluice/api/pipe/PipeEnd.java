package io.sluice.api.pipe;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BufferBudget;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.ConnectionResetException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** One end of a {@link Pipe}: receives from its inbound lane, sends into its outbound lane. */
final class PipeEnd implements Pipe.End {

    private final ConnectionInfo info;
    private final BufferBudget budget;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Parts still running after close: this end's inbound lane, and the sending side of its outbound lane. */
    private final AtomicInteger openParts = new AtomicInteger(2);
    private Lane inbound;
    private Lane outbound;

    PipeEnd(PipeOptions options, ConnectionInfo info) {
        this.info = info;
        this.budget = BufferBudget.builder()
                .name(info.id())
                .parent(options.allocator)
                .waterMarks(options.lowWaterMark, options.highWaterMark)
                .build();
    }

    void connect(Lane inbound, Lane outbound) {
        this.inbound = inbound;
        this.outbound = outbound;
        budget.onPressureChange(inbound::drain);
    }

    boolean closeRequested() {
        return closing.get();
    }

    /** Called by a lane when one of this end's two parts has finished after close. */
    void partDone() {
        if (openParts.decrementAndGet() == 0) {
            budget.close();
            closed.tryEmitEmpty();
        }
    }

    @Override
    public Flux<ByteBuf> receive() {
        return inbound.receiver();
    }

    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return outbound.send(data);
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            outbound.shutdownOutput();
            inbound.closeReceiver();
        }
    }

    @Override
    public void shutdownOutput() {
        outbound.shutdownOutput();
    }

    @Override
    public void reset() {
        if (closing.compareAndSet(false, true)) {
            ConnectionResetException cause = new ConnectionResetException("connection " + info.id() + " was reset");
            outbound.reset(cause);
            inbound.reset(cause);
        }
    }

    @Override
    public void stall(boolean stalled) {
        inbound.stall(stalled);
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public ConnectionInfo info() {
        return info;
    }

    @Override
    public BufferBudget budget() {
        return budget;
    }

    @Override
    public String toString() {
        return "PipeEnd" + info;
    }
}
