package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ConnectionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code openssl s_client} against Sluice's TLS server on every provider: TLS 1.2 and 1.3, with and without a client
 * certificate, SNI and ALPN. s_client verifies the server (CA, host name) and sends a line; the server echoes it;
 * both sides must agree on the protocol and cipher suite they negotiated.
 */
@ParameterizedClass(name = "{0} server")
@EnumSource(TlsProvider.class)
class OpenSslClientInteropTest {

    private static final Pattern NEGOTIATED = Pattern.compile("New, (TLSv1\\.[23]), Cipher is (\\S+)");
    private static final String LINE = "hello from openssl s_client";

    private final TlsProvider provider;

    OpenSslClientInteropTest(TlsProvider provider) {
        this.provider = provider;
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(strings = {"1.3", "1.2"})
    void aClientWithoutACertificate(String version) throws Exception {
        try (EchoServer server = new EchoServer(provider, s -> s.clientAuth(ClientAuth.OPTIONAL).trust(Fixtures.CA));
                PeerProcess client = sClient(server, version)) {
            String output = echo(client);
            SSLSession session = server.onlyConnection().attribute(Tls.SESSION).orElseThrow();
            assertNegotiated(output, session, "TLSv" + version);
            assertThatThrownBy(session::getPeerCertificates).isInstanceOf(SSLPeerUnverifiedException.class);
        }
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(strings = {"1.3", "1.2"})
    void aClientPresentingItsCertificateToAServerThatRequiresOne(String version) throws Exception {
        try (EchoServer server = new EchoServer(provider, s -> s.clientAuth(ClientAuth.REQUIRE).trust(Fixtures.CA));
                PeerProcess client = sClient(server, version, "-cert", "client.pem", "-key", "client-key.pem")) {
            String output = echo(client);
            SSLSession session = server.onlyConnection().attribute(Tls.SESSION).orElseThrow();
            assertNegotiated(output, session, "TLSv" + version);
            assertThat(session.getPeerPrincipal().getName()).isEqualTo("CN=Sluice Test Client");
        }
    }

    @Test
    void sniChoosesTheCertificateOfTheNameTheClientAsksFor() throws Exception {
        try (EchoServer server = new EchoServer(provider, s -> s.sni("a.example", Fixtures.pem("a-example")));
                PeerProcess client = sClient(server, "1.3", "-servername", "a.example",
                        "-verify_hostname", "a.example")) {
            String output = echo(client);
            assertThat(output).contains("subject=CN = a.example");
            assertNegotiated(output, server.onlyConnection().attribute(Tls.SESSION).orElseThrow(), "TLSv1.3");
        }
    }

    @ParameterizedTest(name = "TLS {0}")
    @ValueSource(strings = {"1.3", "1.2"})
    void alpnPicksTheServersPreferenceAmongWhatTheClientOffers(String version) throws Exception {
        try (EchoServer server = new EchoServer(provider, s -> s.applicationProtocols("h2", "http/1.1"));
                PeerProcess client = sClient(server, version, "-alpn", "spdy/1,http/1.1")) {
            String output = echo(client);
            assertThat(output).contains("ALPN protocol: http/1.1");
            ConnectionInfo info = server.onlyConnection();
            assertThat(info.attribute(Tls.APPLICATION_PROTOCOL)).hasValue("http/1.1");
            assertNegotiated(output, info.attribute(Tls.SESSION).orElseThrow(), "TLSv" + version);
        }
    }

    /**
     * s_client on TLS {@code version}, verifying the server's certificate and its name ({@code localhost} unless
     * {@code extra} says otherwise), answering no interactive commands, ending at the end of its input.
     */
    private static PeerProcess sClient(EchoServer server, String version, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + server.port(),
                "-tls" + version.replace('.', '_'), "-CAfile", "ca.pem", "-verify_return_error", "-nocommands",
                "-no_ign_eof"));
        if (!List.of(extra).contains("-servername")) {
            args.addAll(List.of("-servername", "localhost", "-verify_hostname", "localhost"));
        }
        args.addAll(List.of(extra));
        return PeerProcess.openssl(args);
    }

    /** Sends a line, waits for it to come back, ends s_client's input; what s_client printed. */
    private static String echo(PeerProcess client) {
        client.write(LINE + "\n");
        client.awaitOutput(out -> out.contains(LINE), false, "the echoed line");
        client.closeInput();
        assertThat(client.awaitExit()).as("s_client's exit code%s", client.describe()).isZero();
        String output = client.stdout();
        assertThat(output).contains("Verify return code: 0 (ok)");
        return output;
    }

    private static void assertNegotiated(String output, SSLSession session, String protocol) {
        Matcher m = NEGOTIATED.matcher(output);
        assertThat(m.find()).as("s_client's summary in%n%s", output).isTrue();
        assertThat(m.group(1)).isEqualTo(protocol);
        assertThat(session.getProtocol()).isEqualTo(protocol);
        assertThat(OpenSslCipherNames.standard(m.group(2))).isEqualTo(session.getCipherSuite());
    }
}
