package io.sluice.filters.shaping;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The connection a {@link RateLimit} makes: each direction with a bucket is paced by a {@link PacedFlux}; one send
 * bucket paces every send of the connection together. Ownership as {@link Connection}'s; nothing is held here.
 */
final class RateLimitedConnection extends ConnectionLayer {

    private final TokenBucket receiveBucket;
    private final TokenBucket sendBucket;
    private final Scheduler timers;

    /** @param receiveBucket null for no inbound limit; sendBucket likewise */
    RateLimitedConnection(Connection lower, TokenBucket receiveBucket, TokenBucket sendBucket, Scheduler timers) {
        super(lower);
        this.receiveBucket = receiveBucket;
        this.sendBucket = sendBucket;
        this.timers = timers;
    }

    @Override
    public Flux<ByteBuf> receive() {
        Flux<ByteBuf> in = lower.receive();
        return receiveBucket == null ? in : new PacedFlux(in, receiveBucket, timers);
    }

    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return lower.send(sendBucket == null ? data : new PacedFlux(Flux.from(data), sendBucket, timers));
    }
}
