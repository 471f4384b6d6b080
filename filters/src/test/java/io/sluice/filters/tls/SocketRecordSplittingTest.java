package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.util.Arrays;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Over real sockets, both sides write every record one byte at a time, so each reads the handshake and the data in
 * whatever pieces the network makes of them: the echo comes back whole and nothing is left behind, on every provider
 * pair. (The in-memory pipe splits at every position deterministically: {@link RecordSplittingTest}.)
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class SocketRecordSplittingTest {

    @AutoClose
    private final ProviderEngines engines;

    SocketRecordSplittingTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aHandshakeAndAnEchoWrittenOneByteAtATime(String protocol) {
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(LowerFaults.oneBytePerWrite())
                .filter(Tls.over(engines.server(protocol), TlsDriverSettings.defaults()))
                .handler(c -> c.send(c.receive()))
                .bind().block(SocketTest.TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port())
                .filter(LowerFaults.oneBytePerWrite())
                .filter(Tls.over(engines.client(protocol), TlsDriverSettings.defaults()))
                .build();
        try {
            Connection c = client.connect().block(SocketTest.TIMEOUT);
            byte[] data = TlsPipe.random(3000, 5);
            Mono<byte[]> echoed = TlsPipe.gather(c.receive(), data.length).cache();
            echoed.subscribe();
            Flux<ByteBuf> messages = Flux.range(0, 3).map(i -> TlsPipe.buffer(c,
                    Arrays.copyOfRange(data, i * 1000, (i + 1) * 1000)));
            c.send(messages).block(SocketTest.TIMEOUT);
            assertThat(echoed.block(SocketTest.TIMEOUT)).isEqualTo(data);
            c.close();
            c.onClose().block(SocketTest.TIMEOUT);
            SocketTest.awaitNoConnections(server);
        } finally {
            client.dispose().block(SocketTest.TIMEOUT);
            server.shutdown(SocketTest.GRACE).block(SocketTest.TIMEOUT);
        }
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().outstandingBytes()).isZero();
        assertThat(client.metrics().leaks()).isZero();
        assertThat(client.metrics().outstandingBytes()).isZero();
    }
}
