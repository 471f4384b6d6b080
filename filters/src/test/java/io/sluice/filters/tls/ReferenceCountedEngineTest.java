package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.TIMEOUT;
import static io.sluice.filters.tls.TlsPipe.buffer;
import static io.sluice.filters.tls.TlsPipe.gather;
import static io.sluice.filters.tls.TlsPipe.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.pipe.Chunking;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Reference-counted engines (Netty's OpenSSL engines; here a JDK engine dressed as one, {@link CountedEngine}) are
 * released exactly once whichever way the connection ends, and get direct buffers.
 */
class ReferenceCountedEngineTest {

    private final List<CountedEngine> made = new CopyOnWriteArrayList<>();

    @Test
    void bothEnginesAreReleasedOnceAfterAGracefulCloseAndSawOnlyDirectBuffers() {
        TlsPipe p = TlsPipe.create(Chunking.atMost(5000), CountedEngine.around(TestEngines.client(), false, made),
                CountedEngine.around(TestEngines.server(), false, made), TlsDriverSettings.defaults()).echo();
        byte[] data = random(100_000, 9);
        Mono<byte[]> echoed = gather(p.client.receive(), data.length).cache();
        echoed.subscribe();
        p.client.send(Mono.just(buffer(p.client, data))).block(TIMEOUT);
        assertThat(echoed.block(TIMEOUT)).isEqualTo(data);
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
        assertThat(made).hasSize(2).allSatisfy(engine -> {
            assertThat(engine.releases()).isEqualTo(1);
            assertThat(engine.refCnt()).isZero();
        });
        // The application's heap data is copied into direct memory before the engine sees it.
        assertThat(made).allSatisfy(engine -> assertThat(engine.heapBuffersSeen).hasValue(0));
    }

    @Test
    void bothEnginesAreReleasedOnceAfterAFailedHandshake() {
        TlsPipe p = TlsPipe.create(Chunking.whole(), CountedEngine.around(TestEngines.client(), false, made),
                CountedEngine.around(TestEngines.server().certificate("expired.pem", "expired-key.pem"), false, made),
                TlsDriverSettings.defaults());
        StepVerifier.create(p.client.receive()).expectError(TlsHandshakeException.class).verify(TIMEOUT);
        StepVerifier.create(p.server.receive()).expectError(TlsHandshakeException.class).verify(TIMEOUT);
        p.awaitBothClosed();
        p.closeAndAwait();
        assertThat(made).hasSize(2).allSatisfy(engine -> assertThat(engine.releases()).isEqualTo(1));
    }

    @Test
    void anEngineThatWantsAWholeApplicationBufferPerUnwrapGetsOne() {
        TlsPipe p = TlsPipe.create(Chunking.atMost(3000), CountedEngine.around(TestEngines.client(), true, made),
                CountedEngine.around(TestEngines.server(), true, made), TlsDriverSettings.defaults()).echo();
        byte[] data = random(50_000, 4);
        Mono<byte[]> echoed = gather(p.client.receive(), data.length).cache();
        echoed.subscribe();
        p.client.send(Mono.just(buffer(p.client, data))).block(TIMEOUT);
        assertThat(echoed.block(TIMEOUT)).isEqualTo(data);
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
        assertThat(made).allSatisfy(engine -> assertThat(engine.releases()).isEqualTo(1));
    }
}
