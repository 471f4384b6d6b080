package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/** {@link Tls#server(TlsOptions)} and {@link Tls#client(TlsOptions)} over sockets, on every provider. */
class TlsFilterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @ParameterizedTest(name = "server {0}")
    @EnumSource(TlsProvider.class)
    void optionsBuildAWorkingServerAndClient(TlsProvider provider) {
        try (TlsFilter serverTls = Tls.server(TlsOptions.server().provider(provider).keyMaterial(Fixtures.SERVER_EC)
                     .applicationProtocols("echo/1").build());
             TlsFilter clientTls = Tls.client(TlsOptions.client().trust(Fixtures.CA).serverName("localhost")
                     .applicationProtocols("echo/1").build())) {
            Server server = Server.tcp().allocator(SluiceTest.allocator()).filter(serverTls)
                    .handler(c -> c.send(c.receive()))
                    .bind().block(TIMEOUT);
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).filter(clientTls).build();
            try {
                Connection c = client.connect().block(TIMEOUT);
                Mono<String> reply = c.receive().next().map(TlsFilterTest::text);
                c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeBytes(
                        "hello over TLS".getBytes(StandardCharsets.UTF_8)))).block(TIMEOUT);
                assertThat(reply.block(TIMEOUT)).isEqualTo("hello over TLS");
                assertThat(c.info().attribute(Tls.APPLICATION_PROTOCOL)).contains("echo/1");
                assertThat(c.info().attribute(Tls.SESSION).orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
                c.close();
                c.onClose().block(TIMEOUT);
            } finally {
                client.dispose().block(TIMEOUT);
                server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
            }
            assertThat(server.metrics().leaks()).isZero();
            assertThat(client.metrics().leaks()).isZero();
        }
    }

    @Test
    void aServerFilterRefusesClientOptionsAndTheOtherWayRound() {
        TlsOptions client = TlsOptions.client().trust(Fixtures.CA).build();
        TlsOptions server = TlsOptions.server().keyMaterial(Fixtures.SERVER_RSA).build();
        assertThatThrownBy(() -> Tls.server(client)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tls.server(...) needs TlsOptions.server() options, got client options");
        assertThatThrownBy(() -> Tls.client(server)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tls.client(...) needs TlsOptions.client() options, got server options");
    }

    @Test
    void aClosedFilterRefusesNewConnections() {
        TlsFilter tls = Tls.server(TlsOptions.server().keyMaterial(Fixtures.SERVER_RSA).build());
        tls.close();
        tls.close(); // idempotent
        assertThatThrownBy(() -> tls.apply(io.sluice.test.TrackedPipes.create().left()))
                .isInstanceOf(IllegalStateException.class);
    }

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
