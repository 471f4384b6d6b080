package io.sluice.filters.shaping;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import io.sluice.test.FaultSweep;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A cancel or an error at every step of a paced stream, in each direction, with real timers (a rate fast enough
 * that waits are short, a burst small enough that there are some): the sweep asserts that nothing is left behind.
 */
class RateLimitFaultTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final RateLimit LIMIT = RateLimit.builder().receiveRate(1 << 20).sendRate(1 << 20).burst(256)
            .build();

    @Test
    void aFaultAtAnyStepOfAPacedSendLeavesNothingBehind() {
        FaultSweep.steps(10).chunking(Chunking.atMost(100)).run((fault, pipe) -> {
            Connection sender = LIMIT.apply(pipe.left());
            pipe.right().receive().subscribe(ByteBuf::release, e -> { });
            Flux<ByteBuf> data = Flux.range(0, 10).map(i -> sender.budget().allocator().buffer(300).writeZero(300));
            sender.send(data.transform(fault.operator())).onErrorResume(e -> Mono.empty()).block(TIMEOUT);
        });
    }

    @Test
    void aFaultAtAnyStepOfAPacedReceiveLeavesNothingBehind() {
        FaultSweep.steps(10).chunking(Chunking.atMost(100)).run((fault, pipe) -> {
            Connection receiver = LIMIT.apply(pipe.right());
            Mono<Void> read = receiver.receive().transform(fault.operator()).doOnNext(ByteBuf::release)
                    .onErrorResume(e -> Mono.empty()).then();
            pipe.left().send(Mono.just(pipe.left().budget().allocator().buffer(3000).writeZero(3000)))
                    .then(Mono.fromRunnable(pipe.left()::shutdownOutput))
                    .onErrorResume(e -> Mono.empty()).subscribe();
            read.block(TIMEOUT);
        });
    }
}
