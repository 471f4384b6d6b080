package io.sluice.filters.tls;

import static io.sluice.filters.tls.Fixtures.handshake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ConnectionInfo;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A client verifies the server: trusted CA, validity and host name, on every provider pair. */
class ServerVerificationTest {

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void hostnameVerificationAcceptsTheCertifiedNamesAndRejectsOthers(TlsProvider serverProvider,
            TlsProvider clientProvider) {
        try (TlsContext server = Fixtures.server(serverProvider, s -> s.keyMaterial(Fixtures.SERVER_RSA))) {
            assertThat(connects(server, clientProvider, "localhost", c -> c)).isTrue();
            assertThat(connects(server, clientProvider, "127.0.0.1", c -> c)).isTrue();
            assertThat(connects(server, clientProvider, "127.0.0.1", c -> c.serverName("localhost"))).isTrue();
            assertThat(connects(server, clientProvider, "localhost", c -> c.serverName("wrong.example"))).isFalse();
            assertThat(connects(server, clientProvider, "other.example", c -> c)).isFalse();
            assertThat(connects(server, clientProvider, "10.0.0.1", c -> c)).isFalse(); // never contacted: in memory
            assertThat(connects(server, clientProvider, "localhost",
                    c -> c.serverName("wrong.example").hostnameVerification(false))).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void certificatesFromAnUntrustedCaOrExpiredAreRejected(TlsProvider serverProvider, TlsProvider clientProvider) {
        for (String name : new String[] {"untrusted", "expired"}) {
            try (TlsContext server = Fixtures.server(serverProvider, s -> s.keyMaterial(Fixtures.pem(name)))) {
                assertThat(connects(server, clientProvider, "localhost", c -> c)).as(name).isFalse();
                assertThat(connects(server, clientProvider, "localhost", c -> c.hostnameVerification(false)))
                        .as(name).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void clientTrustsAPkcs12TrustStoreAndByDefaultOnlyTheSystemsCas(TlsProvider serverProvider,
            TlsProvider clientProvider) {
        try (TlsContext server = Fixtures.server(serverProvider, s -> s.keyMaterial(Fixtures.SERVER_EC))) {
            assertThat(connects(server, clientProvider, "localhost",
                    c -> c.trust(TrustMaterial.pkcs12(Fixtures.file("truststore.p12"), Fixtures.PASSWORD)))).isTrue();
            try (TlsContext client = TlsContext.create(TlsOptions.client().provider(clientProvider).build());
                    EnginePair pair = handshake(client, server)) {
                assertThat(pair.succeeded()).isFalse();
                assertThat(pair.client.failure).isNotNull();
            }
        }
    }

    @Test
    void aVerifyingClientWithoutAnyHostNameRefusesToMakeAnEngine() {
        try (TlsContext client = Fixtures.client(TlsProvider.JDK, c -> c)) {
            assertThatThrownBy(() -> client.newEngine(ConnectionInfo.of("c1", null, null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("connection c1")
                    .hasMessageContaining("serverName(...)");
        }
    }

    private static boolean connects(TlsContext server, TlsProvider clientProvider, String host,
            UnaryOperator<TlsOptions.Builder> settings) {
        try (TlsContext client = Fixtures.client(clientProvider, settings);
                EnginePair pair = handshake(client, server, host)) {
            if (!pair.succeeded()) {
                assertThat(pair.client.failure).as("the client refuses: %s / %s", pair.client, pair.server)
                        .isNotNull();
            }
            return pair.succeeded();
        }
    }
}
