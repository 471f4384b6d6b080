package io.sluice.filters.tls;

import static io.sluice.filters.tls.Fixtures.handshake;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server picks its certificate by the SNI name the client sends, on every provider, TLS 1.2 and 1.3. */
class SniTest {

    static Stream<Arguments> cases() {
        return Fixtures.providerPairs().flatMap(pair -> Stream.of("TLSv1.3", "TLSv1.2")
                .map(protocol -> Arguments.of(pair.get()[0], pair.get()[1], protocol)));
    }

    @ParameterizedTest(name = "{0} server, {1} client, {2}")
    @MethodSource("cases")
    void serverPresentsTheCertificateOfTheRequestedNameAndItsDefaultOtherwise(TlsProvider serverProvider,
            TlsProvider clientProvider, String protocol) {
        try (TlsContext server = Fixtures.server(serverProvider, s -> s.keyMaterial(Fixtures.SERVER_RSA)
                .sni("a.example", Fixtures.pem("a-example"))
                .sni("B.Example", Fixtures.pem("b-example"))
                .sni("*.wild.example", Fixtures.pem("a-example"))
                .sni("intranet", Fixtures.pem("b-example")))) {
            assertThat(presented(server, clientProvider, protocol, c -> c.serverName("a.example"))).isEqualTo(
                    "a.example");
            assertThat(presented(server, clientProvider, protocol, c -> c.serverName("b.example"))).isEqualTo(
                    "b.example");
            // a name of one label (no dot) is sent too
            assertThat(presented(server, clientProvider, protocol,
                    c -> c.serverName("intranet").hostnameVerification(false))).isEqualTo("b.example");
            // connecting to an IP address sends no SNI: the default certificate, which names 127.0.0.1
            assertThat(presented(server, clientProvider, protocol, c -> c)).isEqualTo("localhost");
            // names the server does not know get the default (the client then checks names itself)
            assertThat(presented(server, clientProvider, protocol,
                    c -> c.serverName("c.example").hostnameVerification(false))).isEqualTo("localhost");
            assertThat(presented(server, clientProvider, protocol,
                    c -> c.serverName("x.wild.example").hostnameVerification(false))).isEqualTo("a.example");
            assertThat(presented(server, clientProvider, protocol,
                    c -> c.serverName("x.y.wild.example").hostnameVerification(false))).isEqualTo("localhost");
        }
    }

    /** The common name of the certificate the server presented to a client so configured, at 127.0.0.1. */
    private static String presented(TlsContext server, TlsProvider clientProvider, String protocol,
            UnaryOperator<TlsOptions.Builder> settings) {
        try (TlsContext client = Fixtures.client(clientProvider, c -> settings.apply(c.protocols(protocol)));
                EnginePair pair = handshake(client, server, "127.0.0.1")) {
            assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
            return Fixtures.peerName(pair.client);
        }
    }
}
