package io.sluice.filters.tls;

import static io.sluice.filters.tls.Fixtures.handshake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Mutual TLS: REQUIRE and OPTIONAL client authentication, TLS 1.2 and 1.3, every provider pair. */
class ClientAuthTest {

    static Stream<Arguments> cases() {
        return Fixtures.providerPairs().flatMap(pair -> Stream.of("TLSv1.3", "TLSv1.2")
                .map(protocol -> Arguments.of(pair.get()[0], pair.get()[1], protocol)));
    }

    @ParameterizedTest(name = "{0} server, {1} client, {2}")
    @MethodSource("cases")
    void requiredClientAuthRefusesAClientWithoutCertificateAndAcceptsOneFromTheTrustedCa(TlsProvider serverProvider,
            TlsProvider clientProvider, String protocol) {
        try (TlsContext server = server(serverProvider, ClientAuth.REQUIRE)) {
            try (TlsContext client = client(clientProvider, protocol, c -> c);
                    EnginePair pair = handshake(client, server)) {
                assertThat(pair.succeeded()).isFalse();
                assertThat(pair.server.failure).as("%s / %s", pair.client, pair.server).isNotNull();
            }
            try (TlsContext client = client(clientProvider, protocol, c -> c.keyMaterial(Fixtures.pem("untrusted")));
                    EnginePair pair = handshake(client, server)) {
                assertThat(pair.succeeded()).isFalse();
                assertThat(pair.server.failure).as("%s / %s", pair.client, pair.server).isNotNull();
            }
            try (TlsContext client = client(clientProvider, protocol, c -> c.keyMaterial(Fixtures.CLIENT));
                    EnginePair pair = handshake(client, server)) {
                assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
                assertThat(Fixtures.peerName(pair.server)).isEqualTo("Sluice Test Client");
                byte[] data = "authenticated".getBytes();
                assertThat(pair.send(pair.client, data)).isEqualTo(data);
            }
        }
    }

    @ParameterizedTest(name = "{0} server, {1} client, {2}")
    @MethodSource("cases")
    void optionalClientAuthAcceptsAClientWithoutCertificateAndVerifiesOneThatIsSent(TlsProvider serverProvider,
            TlsProvider clientProvider, String protocol) {
        try (TlsContext server = server(serverProvider, ClientAuth.OPTIONAL)) {
            try (TlsContext client = client(clientProvider, protocol, c -> c);
                    EnginePair pair = handshake(client, server)) {
                assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
                assertThatThrownBy(() -> pair.server.session().getPeerCertificates())
                        .isInstanceOf(SSLPeerUnverifiedException.class);
            }
            try (TlsContext client = client(clientProvider, protocol, c -> c.keyMaterial(Fixtures.CLIENT));
                    EnginePair pair = handshake(client, server)) {
                assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
                assertThat(Fixtures.peerName(pair.server)).isEqualTo("Sluice Test Client");
            }
            // a client whose only certificate is from a CA the server does not name sends none, and is let in
            try (TlsContext client = client(clientProvider, protocol, c -> c.keyMaterial(Fixtures.pem("untrusted")));
                    EnginePair pair = handshake(client, server)) {
                assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
                assertThatThrownBy(() -> pair.server.session().getPeerCertificates())
                        .isInstanceOf(SSLPeerUnverifiedException.class);
            }
        }
    }

    static Stream<Arguments> serverCases() {
        return Fixtures.providers().stream().flatMap(provider -> Stream.of("TLSv1.3", "TLSv1.2").flatMap(
                protocol -> Stream.of(ClientAuth.OPTIONAL, ClientAuth.REQUIRE)
                        .map(auth -> Arguments.of(provider, protocol, auth))));
    }

    @ParameterizedTest(name = "{0} server, {1}, {2}")
    @MethodSource("serverCases")
    void aClientCertificateFromAnUntrustedCaIsRejectedEvenWhenOptional(TlsProvider serverProvider, String protocol,
            ClientAuth clientAuth) throws Exception {
        try (TlsContext server = server(serverProvider, clientAuth);
                EnginePair pair = new EnginePair(StubbornClient.engine(Fixtures.pem("untrusted"), protocol),
                        server.newEngine(Fixtures.fromClient())).handshake()) {
            assertThat(pair.succeeded()).isFalse();
            assertThat(pair.server.failure).as("%s / %s", pair.client, pair.server).isNotNull();
        }
    }

    private static TlsContext server(TlsProvider provider, ClientAuth clientAuth) {
        return Fixtures.server(provider, s -> s.keyMaterial(Fixtures.SERVER_RSA).clientAuth(clientAuth)
                .trust(Fixtures.CA));
    }

    private static TlsContext client(TlsProvider provider, String protocol, UnaryOperator<TlsOptions.Builder> more) {
        return Fixtures.client(provider, c -> more.apply(c.protocols(protocol)));
    }
}
