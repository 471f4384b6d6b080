package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.TIMEOUT;
import static io.sluice.filters.tls.TlsPipe.buffer;
import static io.sluice.filters.tls.TlsPipe.gather;
import static io.sluice.filters.tls.TlsPipe.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.BufferBudget;
import io.sluice.api.pipe.Chunking;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/** An idle TLS connection holds no buffer: engine buffers live only for one wrap or unwrap. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class IdleMemoryTest {

    @AutoClose
    private final ProviderEngines engines;

    IdleMemoryTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void afterTheHandshakeAndAFewMessagesAnIdleConnectionHoldsNothing(String protocol) {
        TlsPipe p = TlsPipe.create(engines, protocol, Chunking.atMost(1500)).echo();
        byte[] messages = random(15_000, 1);
        Mono<byte[]> echoed = gather(p.client.receive(), messages.length).cache();
        echoed.subscribe();
        for (int i = 0; i < 5; i++) { // five messages of 1 to 5 KB, one send each
            int from = 1000 * i * (i + 1) / 2;
            p.client.send(Mono.just(buffer(p.client, Arrays.copyOfRange(messages, from, from + 1000 * (i + 1)))))
                    .block(TIMEOUT);
        }
        assertThat(echoed.block(TIMEOUT)).isEqualTo(messages);
        assertIdle(p);
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    /** Both budgets come back to zero while both connections stay open (bounded wait for in-flight releases). */
    private static void assertIdle(TlsPipe p) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        BufferBudget client = p.pipe.left().budget();
        BufferBudget server = p.pipe.right().budget();
        while ((client.outstandingBytes() != 0 || server.outstandingBytes() != 0) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(client.outstandingBytes()).as("client budget while idle").isZero();
        assertThat(server.outstandingBytes()).as("server budget while idle").isZero();
        assertThat(client.isClosed() || server.isClosed()).isFalse();
    }
}
