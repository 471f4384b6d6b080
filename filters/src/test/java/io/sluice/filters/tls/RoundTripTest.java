package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.TIMEOUT;
import static io.sluice.filters.tls.TlsPipe.buffer;
import static io.sluice.filters.tls.TlsPipe.gather;
import static io.sluice.filters.tls.TlsPipe.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.pipe.Chunking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Data crosses a TLS connection intact, in both directions, on TLS 1.2 and 1.3, whatever its size, on every provider. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class RoundTripTest {

    @AutoClose
    private final ProviderEngines engines;

    RoundTripTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    static List<Arguments> sizes() {
        List<Arguments> all = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (int size : new int[] {0, 1, 100, 16 * 1024, 16 * 1024 + 1, 4 * 1024 * 1024}) {
                all.add(Arguments.of(protocol, size));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("sizes")
    void echoReturnsWhatTheClientSent(String protocol, int size) {
        TlsPipe p = TlsPipe.create(engines, protocol, Chunking.whole()).echo();
        byte[] data = random(size, size);
        // The pipe moves bytes only while the other end reads: the client reads before it sends.
        Mono<byte[]> echoed = (size == 0 ? gather(p.client.receive()) : gather(p.client.receive(), size)).cache();
        echoed.subscribe();
        p.client.send(pieces(p, data)).block(TIMEOUT);
        if (size == 0) {
            p.client.close();
        }
        assertThat(echoed.block(TIMEOUT)).isEqualTo(data);
        p.client.close();
        p.awaitBothClosed(); // the echo closes when the client's close_notify ends its input
        p.closeAndAwait();
    }

    /**
     * {@code data} in buffers of at most 64 KiB, each allocated when the connection asks for it: a connection's
     * budget (512 KiB by default) holds what the application holds too, and a budget exhausted by unsent data
     * stops reading, the handshake's records included.
     */
    private static Flux<ByteBuf> pieces(TlsPipe p, byte[] data) {
        int piece = 64 * 1024;
        int count = Math.max(1, (data.length + piece - 1) / piece);
        return Flux.range(0, count).map(i -> buffer(p.client,
                Arrays.copyOfRange(data, i * piece, Math.min(data.length, (i + 1) * piece))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theServerReceivesEverythingUntilTheClientsCloseNotify(String protocol) {
        TlsPipe p = TlsPipe.create(engines, protocol, Chunking.atMost(1000));
        byte[] data = random(200_000, 7);
        Mono<byte[]> received = gather(p.server.receive()).cache();
        received.subscribe();
        p.client.send(Flux.range(0, 20).map(i -> buffer(p.client, Arrays.copyOfRange(data, i * 10_000,
                (i + 1) * 10_000)))).block(TIMEOUT);
        p.client.close();
        assertThat(received.block(TIMEOUT)).isEqualTo(data);
        p.server.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void manySmallSendsArriveInTheOrderTheyWereSubscribed(String protocol) {
        TlsPipe p = TlsPipe.create(engines, protocol, Chunking.whole()).echo();
        int count = 200;
        byte[] expected = new byte[count * 4];
        List<Mono<Void>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] message = {(byte) (i >> 8), (byte) i, 'x', 'y'};
            System.arraycopy(message, 0, expected, i * 4, 4);
            sends.add(p.client.send(Mono.just(buffer(p.client, message))));
        }
        Mono<byte[]> echoed = gather(p.client.receive(), expected.length);
        sends.forEach(Mono::subscribe); // subscribed one after another: written in that order
        assertThat(echoed.block(TIMEOUT)).isEqualTo(expected);
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anEmptyBufferSendsNothingAndTheStreamStillEnds(String protocol) {
        TlsPipe p = TlsPipe.create(engines, protocol, Chunking.whole());
        Mono<byte[]> received = gather(p.server.receive()).cache();
        received.subscribe();
        ByteBuf empty = p.client.budget().allocator().buffer(0);
        p.client.send(Mono.just(empty)).block(TIMEOUT);
        p.client.close();
        assertThat(received.block(TIMEOUT)).isEmpty();
        p.server.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }
}
