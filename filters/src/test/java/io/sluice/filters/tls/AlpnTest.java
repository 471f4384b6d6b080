package io.sluice.filters.tls;

import static io.sluice.filters.tls.Fixtures.handshake;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ALPN: the server's preference among what the client offers, or nothing, on every provider pair. */
class AlpnTest {

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void serverChoosesItsMostPreferredProtocolThatTheClientOffers(TlsProvider serverProvider,
            TlsProvider clientProvider) {
        String[] negotiated = negotiate(serverProvider, s -> s.applicationProtocols("h2", "http/1.1"),
                clientProvider, c -> c.applicationProtocols("http/1.1", "h2"));
        assertThat(negotiated).containsExactly("h2", "h2");
    }

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void noCommonProtocolCompletesTheHandshakeWithoutOne(TlsProvider serverProvider, TlsProvider clientProvider) {
        String[] negotiated = negotiate(serverProvider, s -> s.applicationProtocols("h2"),
                clientProvider, c -> c.applicationProtocols("spdy/3"));
        assertThat(negotiated).allSatisfy(protocol -> assertThat(protocol).isNullOrEmpty());
    }

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void aClientOfferingNothingGetsNothing(TlsProvider serverProvider, TlsProvider clientProvider) {
        String[] negotiated = negotiate(serverProvider, s -> s.applicationProtocols("h2", "http/1.1"),
                clientProvider, c -> c);
        assertThat(negotiated).allSatisfy(protocol -> assertThat(protocol).isNullOrEmpty());
    }

    /** The protocol each side saw negotiated: client's, then server's. */
    private static String[] negotiate(TlsProvider serverProvider, UnaryOperator<TlsOptions.Builder> serverSettings,
            TlsProvider clientProvider, UnaryOperator<TlsOptions.Builder> clientSettings) {
        try (TlsContext server = Fixtures.server(serverProvider,
                        s -> serverSettings.apply(s.keyMaterial(Fixtures.SERVER_EC)));
                TlsContext client = Fixtures.client(clientProvider, clientSettings);
                EnginePair pair = handshake(client, server)) {
            assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
            return new String[] {pair.client.engine.getApplicationProtocol(),
                pair.server.engine.getApplicationProtocol()};
        }
    }
}
