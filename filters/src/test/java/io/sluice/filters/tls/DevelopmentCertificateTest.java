package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/** A server without key material runs on a generated self-signed certificate, and says so loudly. */
class DevelopmentCertificateTest {

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void aServerWithoutKeyMaterialUsesTheDevelopmentCertificateAndWarns(TlsProvider serverProvider,
            TlsProvider clientProvider) {
        TestLogger log = new TestLogger(false);
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(log);
        TlsContext server;
        try {
            server = TlsContext.create(TlsOptions.server().provider(serverProvider).build());
        } finally {
            LoggerUtils.disableCapture();
        }
        assertThat(log.getErrContent())
                .startsWith("[ WARN] !!! TLS server (" + serverProvider + ") has no key material and uses a "
                        + "self-signed DEVELOPMENT certificate")
                .contains("configure TlsOptions keyMaterial(...)");
        TrustMaterial development = TrustMaterial.of(DevelopmentCertificate.certificate());
        try (server;
                TlsContext trusting = TlsContext.create(TlsOptions.client().provider(clientProvider)
                        .trust(development).build());
                EnginePair byName = Fixtures.handshake(trusting, server, "localhost");
                EnginePair byAddress = Fixtures.handshake(trusting, server, "127.0.0.1");
                TlsContext ordinary = Fixtures.client(clientProvider, c -> c);
                EnginePair untrusted = Fixtures.handshake(ordinary, server)) {
            assertThat(byName.succeeded()).as("%s / %s", byName.client, byName.server).isTrue();
            assertThat(byAddress.succeeded()).as("%s / %s", byAddress.client, byAddress.server).isTrue();
            assertThat(Fixtures.peerName(byName.client)).isEqualTo("localhost");
            assertThat(untrusted.succeeded()).isFalse();
            assertThat(untrusted.client.failure).isNotNull();
        }
    }

    @Test
    void theCertificateIsMadeOncePerJvmForLocalhostAndItsAddress() throws Exception {
        X509Certificate certificate = DevelopmentCertificate.certificate();
        assertThat(DevelopmentCertificate.certificate()).isSameAs(certificate);
        List<String> names = certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1)))
                .toList();
        assertThat(names).containsExactlyInAnyOrder("localhost", "127.0.0.1");
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        certificate.checkValidity();
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getExtendedKeyUsage()).isEqualTo(List.of("1.3.6.1.5.5.7.3.1"));
    }
}
