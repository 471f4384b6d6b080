package io.sluice.filters.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Sluice's TLS client on every provider against {@code openssl s_server} in {@code -rev} mode (it answers each line
 * reversed): TLS 1.2 and 1.3, with and without a client certificate where s_server requires or merely asks for one,
 * and ALPN. Both sides must agree on the protocol and cipher suite; s_server serves one connection and exits.
 */
@ParameterizedClass(name = "{0} client")
@EnumSource(TlsProvider.class)
class OpenSslServerInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern PORT = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)");

    private final TlsProvider provider;

    OpenSslServerInteropTest(TlsProvider provider) {
        this.provider = provider;
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(strings = {"1.3", "1.2"})
    void ourClientWithoutACertificate(String version) throws Exception {
        try (PeerProcess server = sServer(version)) {
            SSLSession session = reversedEcho(server, c -> c.protocols("TLSv" + version));
            assertAgreed(server, session, "TLSv" + version);
        }
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(strings = {"1.3", "1.2"})
    void ourClientPresentsItsCertificateWhereTheServerRequiresOne(String version) throws Exception {
        try (PeerProcess server = sServer(version, "-Verify", "1", "-CAfile", "ca.pem", "-verify_return_error")) {
            SSLSession session = reversedEcho(server,
                    c -> c.protocols("TLSv" + version).keyMaterial(Fixtures.CLIENT));
            assertAgreed(server, session, "TLSv" + version);
            assertThat(server.stderr()).contains("Peer certificate: CN = Sluice Test Client");
        }
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(strings = {"1.3", "1.2"})
    void ourClientWithoutACertificateWhereTheServerOnlyAsksForOne(String version) throws Exception {
        try (PeerProcess server = sServer(version, "-verify", "1", "-CAfile", "ca.pem")) {
            SSLSession session = reversedEcho(server, c -> c.protocols("TLSv" + version));
            assertAgreed(server, session, "TLSv" + version);
        }
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(strings = {"1.3", "1.2"})
    void ourClientWithoutACertificateIsRefusedWhereTheServerRequiresOne(String version) throws Exception {
        try (PeerProcess server = sServer(version, "-Verify", "1", "-CAfile", "ca.pem", "-verify_return_error");
                TlsFilter tls = Tls.client(options(c -> c.protocols("TLSv" + version)))) {
            Client client = client(server, tls);
            try {
                Connection c = client.connect().block(TIMEOUT);
                c.send(Mono.fromSupplier(() -> TlsPipe.buffer(c, "hello\n".getBytes(US_ASCII))))
                        .onErrorResume(e -> Mono.empty()).subscribe();
                // TLS 1.2 fails the handshake; in TLS 1.3 the client has finished before the server's refusal.
                StepVerifier.create(c.receive()).expectError().verify(TIMEOUT);
                c.onClose().block(TIMEOUT);
            } finally {
                client.dispose().block(TIMEOUT);
            }
            assertThat(client.metrics().leaks()).isZero();
            assertThat(client.metrics().outstandingBytes()).isZero();
            server.awaitExit();
        }
    }

    @Test
    void alpnProtocolChosenByTheServer() throws Exception {
        try (PeerProcess server = sServer("1.3", "-alpn", "echo/1")) {
            SSLSession session = reversedEcho(server, c -> c.applicationProtocols("h2", "echo/1"));
            assertAgreed(server, session, "TLSv1.3");
            assertThat(server.stdout()).contains("ALPN protocols selected: echo/1");
        }
    }

    /** s_server on TLS {@code version} presenting {@code server.pem}, reversing lines, for one connection. */
    private static PeerProcess sServer(String version, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("s_server", "-accept", "127.0.0.1:0", "-cert", "server.pem",
                "-key", "server-key.pem", "-rev", "-naccept", "1", "-tls" + version.replace('.', '_')));
        args.addAll(List.of(extra));
        return PeerProcess.openssl(args);
    }

    private TlsOptions options(UnaryOperator<TlsOptions.Builder> settings) {
        return settings.apply(TlsOptions.client().provider(provider).trust(Fixtures.CA).serverName("localhost"))
                .build();
    }

    private static Client client(PeerProcess server, TlsFilter tls) {
        int port = Integer.parseInt(server.awaitMatch(PORT, "the port it accepts on"));
        return Client.tcp().allocator(SluiceTest.allocator()).port(port).filter(tls).build();
    }

    /** Sends a line, reads it back reversed, closes; the session our client negotiated. */
    private SSLSession reversedEcho(PeerProcess server, UnaryOperator<TlsOptions.Builder> settings) {
        try (TlsFilter tls = Tls.client(options(settings))) {
            Client client = client(server, tls);
            SSLSession session;
            try {
                Connection c = client.connect().block(TIMEOUT);
                Mono<String> line = c.receive().map(OpenSslServerInteropTest::text)
                        .scan("", String::concat).filter(s -> s.endsWith("\n")).next();
                Mono<String> answer = line.cache();
                answer.subscribe(null, e -> { });
                c.send(Flux.just("hello sluice\n").map(s -> TlsPipe.buffer(c, s.getBytes(US_ASCII)))).block(TIMEOUT);
                assertThat(answer.block(TIMEOUT)).isEqualTo("eciuls olleh\n");
                session = c.info().attribute(Tls.SESSION).orElseThrow();
                c.close();
                c.onClose().block(TIMEOUT);
            } finally {
                client.dispose().block(TIMEOUT);
            }
            assertThat(client.metrics().leaks()).isZero();
            assertThat(client.metrics().outstandingBytes()).isZero();
            return session;
        }
    }

    /** Both sides name the same protocol and suite (s_server prints its summary of the connection). */
    private static void assertAgreed(PeerProcess server, SSLSession session, String protocol) {
        assertThat(session.getProtocol()).isEqualTo(protocol);
        String suite = server.awaitMatch(Pattern.compile("Ciphersuite: (\\S+)"), "its summary of the connection");
        assertThat(OpenSslCipherNames.standard(suite)).isEqualTo(session.getCipherSuite());
        assertThat(server.stderr()).contains("Protocol version: " + protocol);
        assertThat(server.awaitExit()).as("s_server's exit code%s", server.describe()).isZero();
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(US_ASCII);
        } finally {
            b.release();
        }
    }
}
