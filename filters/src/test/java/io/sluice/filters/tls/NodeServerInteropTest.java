package io.sluice.filters.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/**
 * Sluice's TLS client on every provider against a server made with Node's {@code tls} module
 * ({@code tls/node/echo-server.js}): TLS 1.2 and 1.3, a client certificate where Node requires one, and ALPN. The
 * client sends a message and reads the echo; both sides must agree on what they negotiated.
 */
@ParameterizedClass(name = "{0} client")
@EnumSource(TlsProvider.class)
class NodeServerInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern PORT = Pattern.compile("listening (\\d+)");
    private static final byte[] MESSAGE = "hello from sluice".getBytes(US_ASCII);

    private final TlsProvider provider;

    NodeServerInteropTest(TlsProvider provider) {
        this.provider = provider;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void ourClientTalksToNode(String protocol) throws Exception {
        try (PeerProcess node = nodeServer(protocol)) {
            SSLSession session = echo(node, c -> c.protocols(protocol));
            assertAgreed(node, session, protocol);
            assertThat(node.stdout()).contains("\"servername\":\"localhost\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void ourClientPresentsItsCertificateToNodeWhichRequiresOne(String protocol) throws Exception {
        try (PeerProcess node = nodeServer(protocol, "--ca", "ca.pem", "--require-cert")) {
            SSLSession session = echo(node, c -> c.protocols(protocol).keyMaterial(Fixtures.CLIENT));
            assertAgreed(node, session, protocol);
            assertThat(node.stdout()).contains("\"authorized\":true", "\"peer\":\"Sluice Test Client\"");
        }
    }

    @Test
    void alpnProtocolChosenByNode() throws Exception {
        try (PeerProcess node = nodeServer("TLSv1.3", "--alpn", "echo/1,h2")) {
            try (TlsFilter tls = Tls.client(options(c -> c.applicationProtocols("h2", "echo/1")))) {
                Client client = client(node, tls);
                try {
                    Connection c = client.connect().block(TIMEOUT);
                    exchange(c);
                    assertThat(c.info().attribute(Tls.APPLICATION_PROTOCOL)).hasValue("echo/1");
                    c.close();
                    c.onClose().block(TIMEOUT);
                } finally {
                    client.dispose().block(TIMEOUT);
                }
            }
            assertThat(node.awaitOutput(out -> out.contains("\"alpn\":\"echo/1\""), false, "its summary")).isNotEmpty();
        }
    }

    private static PeerProcess nodeServer(String protocol, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cert", "server.pem", "--key", "server-key.pem",
                "--min", protocol, "--max", protocol));
        args.addAll(List.of(extra));
        return PeerProcess.node("echo-server.js", args);
    }

    private TlsOptions options(UnaryOperator<TlsOptions.Builder> settings) {
        return settings.apply(TlsOptions.client().provider(provider).trust(Fixtures.CA).serverName("localhost"))
                .build();
    }

    private static Client client(PeerProcess node, TlsFilter tls) {
        int port = Integer.parseInt(node.awaitMatch(PORT, "the port it listens on"));
        return Client.tcp().allocator(SluiceTest.allocator()).port(port).filter(tls).build();
    }

    /** Connects, sends the message, reads the echo, closes; the session our client negotiated. */
    private SSLSession echo(PeerProcess node, UnaryOperator<TlsOptions.Builder> settings) {
        SSLSession session;
        try (TlsFilter tls = Tls.client(options(settings))) {
            Client client = client(node, tls);
            try {
                Connection c = client.connect().block(TIMEOUT);
                exchange(c);
                session = c.info().attribute(Tls.SESSION).orElseThrow();
                c.close();
                c.onClose().block(TIMEOUT);
            } finally {
                client.dispose().block(TIMEOUT);
            }
            assertThat(client.metrics().leaks()).isZero();
            assertThat(client.metrics().outstandingBytes()).isZero();
        }
        assertThat(node.awaitExit()).as("node's exit code%s", node.describe()).isZero();
        return session;
    }

    private static void exchange(Connection c) {
        Mono<byte[]> echoed = TlsPipe.gather(c.receive(), MESSAGE.length).cache();
        echoed.subscribe(null, e -> { });
        c.send(Mono.fromSupplier(() -> TlsPipe.buffer(c, MESSAGE))).block(TIMEOUT);
        assertThat(echoed.block(TIMEOUT)).isEqualTo(MESSAGE);
    }

    private static void assertAgreed(PeerProcess node, SSLSession session, String protocol) {
        assertThat(session.getProtocol()).isEqualTo(protocol);
        assertThat(node.stdout()).contains("\"protocol\":\"" + protocol + "\"",
                "\"cipher\":\"" + session.getCipherSuite() + "\"");
    }
}
