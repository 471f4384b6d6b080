package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.TIMEOUT;
import static io.sluice.filters.tls.TlsPipe.buffer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** After the handshake, records are read and decrypted only as the application asks for data, on every provider. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class DemandTest {

    @AutoClose
    private final ProviderEngines engines;

    DemandTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    @Test
    void recordsAreReadAndDecryptedOnlyAsTheApplicationAsks() {
        Pipe pipe = TrackedPipes.create();
        List<Long> lowerRequests = new CopyOnWriteArrayList<>();
        Connection serverLower = new ConnectionLayer(pipe.right()) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().doOnRequest(lowerRequests::add);
            }
        };
        Connection client = Tls.over(engines.client(c -> c), TlsDriverSettings.defaults()).apply(pipe.left());
        Connection server = Tls.over(engines.server(s -> s), TlsDriverSettings.defaults()).apply(serverLower);
        AtomicBoolean allSent = new AtomicBoolean();
        client.send(Flux.range(0, 10).map(i -> buffer(client, ("message " + i).getBytes(US_ASCII))))
                .doOnSuccess(v -> allSent.set(true)).subscribe();
        int[] requestsAfterFirst = new int[1];
        StepVerifier.create(server.receive().map(DemandTest::text), 1)
                .expectNext("message 0")
                .then(() -> requestsAfterFirst[0] = lowerRequests.size())
                .expectNoEvent(Duration.ofMillis(200))
                .then(() -> {
                    assertThat(lowerRequests).as("no reading ahead").hasSize(requestsAfterFirst[0]);
                    assertThat(lowerRequests).as("one buffer at a time").containsOnly(1L);
                    assertThat(allSent).as("the client's records wait in the pipe").isFalse();
                })
                .thenRequest(2)
                .expectNext("message 1", "message 2")
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(7)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(allSent).isTrue();
        client.close();
        server.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(US_ASCII);
        } finally {
            b.release();
        }
    }
}
