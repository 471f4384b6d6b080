package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.ConnectionInfo;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Node's {@code tls} module as the client of Sluice's TLS server on every provider ({@code tls/node/client.js}):
 * TLS 1.2 and 1.3, with a client certificate where the server requires one, and ALPN. Node verifies the server,
 * sends a message and waits for the echo; both sides must agree on what they negotiated.
 */
@ParameterizedClass(name = "{0} server")
@EnumSource(TlsProvider.class)
class NodeClientInteropTest {

    private static final String MESSAGE = "hello from node";

    private final TlsProvider provider;

    NodeClientInteropTest(TlsProvider provider) {
        this.provider = provider;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void nodeTalksToOurServer(String protocol) throws Exception {
        try (EchoServer server = new EchoServer(provider, s -> s);
                PeerProcess node = nodeClient(server, protocol)) {
            String summary = echo(node);
            SSLSession session = server.onlyConnection().attribute(Tls.SESSION).orElseThrow();
            assertAgreed(summary, session, protocol);
            assertThat(summary).contains("\"authorized\":true", "\"peer\":\"localhost\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void nodePresentsItsCertificateToAServerThatRequiresOne(String protocol) throws Exception {
        try (EchoServer server = new EchoServer(provider, s -> s.clientAuth(ClientAuth.REQUIRE).trust(Fixtures.CA));
                PeerProcess node = nodeClient(server, protocol, "--cert", "client.pem", "--key", "client-key.pem")) {
            String summary = echo(node);
            SSLSession session = server.onlyConnection().attribute(Tls.SESSION).orElseThrow();
            assertAgreed(summary, session, protocol);
            assertThat(session.getPeerPrincipal().getName()).isEqualTo("CN=Sluice Test Client");
        }
    }

    @Test
    void alpnPicksTheServersPreferenceAmongWhatNodeOffers() throws Exception {
        try (EchoServer server = new EchoServer(provider, s -> s.applicationProtocols("h2", "http/1.1"));
                PeerProcess node = nodeClient(server, "TLSv1.3", "--alpn", "http/1.1,h2")) {
            String summary = echo(node);
            ConnectionInfo info = server.onlyConnection();
            assertThat(info.attribute(Tls.APPLICATION_PROTOCOL)).hasValue("h2");
            assertThat(summary).contains("\"alpn\":\"h2\"");
        }
    }

    private static PeerProcess nodeClient(EchoServer server, String protocol, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(server.port()), "--ca", "ca.pem",
                "--min", protocol, "--max", protocol, "--message", MESSAGE));
        args.addAll(List.of(extra));
        return PeerProcess.node("client.js", args);
    }

    /** Waits for Node to have its echo and exit cleanly; its summary line of the connection. */
    private static String echo(PeerProcess node) {
        assertThat(node.awaitExit()).as("node's exit code%s", node.describe()).isZero();
        String output = node.stdout();
        assertThat(output).contains("{\"echo\":\"" + MESSAGE + "\"}");
        return output.lines().findFirst().orElseThrow();
    }

    private static void assertAgreed(String summary, SSLSession session, String protocol) {
        assertThat(session.getProtocol()).isEqualTo(protocol);
        assertThat(summary).contains("\"protocol\":\"" + protocol + "\"",
                "\"cipher\":\"" + session.getCipherSuite() + "\"");
    }
}
