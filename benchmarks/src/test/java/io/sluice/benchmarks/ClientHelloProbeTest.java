package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.filters.tls.DevelopmentCertificate;
import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.filters.tls.TlsProvider;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.samples.ClientTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The probe the handshake benchmark relies on to prove that no session is resumed: it must see a resumption offer
 * where there is one, and the benchmark's connections must make none.
 */
class ClientHelloProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void readsTheExtensionsOfAClientHello() {
        // A TLS 1.3 ClientHello cut down to its skeleton: no suites' worth mentioning, two extensions.
        String head = "16 0301 0000" // handshake record, length patched below
                + "01 000000" // ClientHello, length (not checked)
                + "0303" + "00".repeat(32) // legacy_version, random
                + "00" // no legacy_session_id
                + "0002 1301" // one cipher suite
                + "01 00"; // null compression
        String supportedVersions = "002b 0003 02 0304";
        String preSharedKey = "0029 0004 00000000";
        assertThat(ClientHelloProbe.offersPreSharedKey(record(head, supportedVersions))).isFalse();
        assertThat(ClientHelloProbe.offersPreSharedKey(record(head, supportedVersions + preSharedKey))).isTrue();
        assertThat(ClientHelloProbe.offersPreSharedKey(record("17 0303 0000 00", ""))).isNull();
    }

    /**
     * Bouncy Castle is left out: between two Bouncy Castle ends no TLS 1.3 session is resumed anyway (1.84 here),
     * so the ordinary client's second ClientHello offers nothing either. The smoke run checks its handshake load.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void theHandshakeLoadMakesOnlyFullHandshakesWhereAnOrdinaryClientResumes(TlsProvider provider) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        DevelopmentCertificate.writePem(cert, key);
        BenchTls tls = new BenchTls(provider, cert, key, BenchTls.Variants.NONE);
        TlsFilter serverTls = Tls.server(tls.sluiceOptions());
        Server server = Server.tcp().eventLoopThreads(1).filter(serverTls).handler(c -> c.send(c.receive()))
                .bind().block(TIMEOUT);
        ClientHelloProbe probe = new ClientHelloProbe();
        TlsFilter clientTls = Tls.client(ClientTls.trusting(provider, cert).options("127.0.0.1", server.port())
                .build());
        Client client = Client.tcp().port(server.port()).eventLoopThreads(1).filter(probe).filter(clientTls).build();
        HandshakeReport report;
        try {
            // An ordinary client: its engines know the server's address, so the second one offers the session the
            // first one got a ticket for.
            for (int i = 0; i < 2; i++) {
                Connection c = client.connect().block(TIMEOUT);
                Ping.ping(c).block(TIMEOUT);
                c.close();
                c.onClose().block(TIMEOUT);
            }
            report = HandshakeLoad.run(new HandshakeLoad.Settings("127.0.0.1", server.port(), tls.client(), 2,
                    Duration.ZERO, Duration.ofMillis(500), 1), new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8));
        } finally {
            client.dispose().block(TIMEOUT);
            clientTls.close();
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
            serverTls.close();
        }
        assertThat(probe.hellos()).isEqualTo(2);
        assertThat(probe.resumptionOffers()).as("the ordinary client's second ClientHello").isEqualTo(1);
        assertThat(report.failures()).as(report.firstFailure()).isZero();
        assertThat(report.handshakes()).isPositive();
        assertThat(report.clientHellos()).isGreaterThanOrEqualTo(report.handshakes());
        assertThat(report.resumptionOffers()).isZero();
        assertThat(server.metrics().leaks()).isZero();
    }

    private static byte[] record(String head, String extensions) {
        byte[] ext = HexFormat.of().parseHex(extensions.replace(" ", ""));
        String withLength = head.replace(" ", "") + String.format("%04x", ext.length);
        byte[] start = HexFormat.of().parseHex(withLength);
        byte[] record = new byte[start.length + ext.length];
        System.arraycopy(start, 0, record, 0, start.length);
        System.arraycopy(ext, 0, record, start.length, ext.length);
        int length = record.length - 5;
        record[3] = (byte) (length >> 8);
        record[4] = (byte) length;
        return record;
    }
}
