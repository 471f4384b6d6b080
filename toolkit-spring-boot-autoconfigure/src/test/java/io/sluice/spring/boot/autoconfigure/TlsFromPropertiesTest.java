package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.filters.tls.DevelopmentCertificate;
import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.filters.tls.TrustMaterial;
import io.sluice.spring.boot.SluiceServers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code sluice.servers.<name>.tls.*}: a TLS server from PEM files or the development certificate, and bad files. */
class TlsFromPropertiesTest {

    /** The filters module's committed test key material (see its README). */
    private static final Path FIXTURES = Path.of(System.getProperty("basedir", "."))
            .resolve("../filters/src/test/resources/tls").normalize();

    @Test
    void aServerWithPemFilesServesTlsToAClientTrustingItsCa() {
        Contexts.echoServer().withPropertyValues("sluice.servers.echo.tls.enabled=true",
                "sluice.servers.echo.tls.certificate=" + FIXTURES.resolve("server-chain.pem"),
                "sluice.servers.echo.tls.private-key=" + FIXTURES.resolve("server-key.pem"),
                "sluice.servers.echo.tls.application-protocols=echo/1").run(context -> {
                    int port = context.getBean(SluiceServers.class).get("echo").port();
                    try (TlsFilter tls = Tls.client(TlsOptions.client().serverName("localhost")
                            .trust(TrustMaterial.pem(FIXTURES.resolve("ca.pem"))).build())) {
                        assertThat(EchoPeer.roundTrip(port, "hello over TLS", tls)).isEqualTo("hello over TLS");
                    }
                });
    }

    @Test
    void tlsWithoutKeyMaterialUsesTheDevelopmentCertificate() {
        Contexts.echoServer().withPropertyValues("sluice.servers.echo.tls.enabled=true").run(context -> {
            int port = context.getBean(SluiceServers.class).get("echo").port();
            try (TlsFilter tls = Tls.client(TlsOptions.client().serverName("localhost")
                    .trust(TrustMaterial.of(DevelopmentCertificate.certificate())).build())) {
                assertThat(EchoPeer.roundTrip(port, "dev cert", tls)).isEqualTo("dev cert");
            }
        });
    }

    @Test
    void aMissingCertificateFileFailsStartupNamingTheProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.tls.enabled=true",
                "sluice.servers.echo.tls.certificate=/nonexistent/chain.pem",
                "sluice.servers.echo.tls.private-key=" + FIXTURES.resolve("server-key.pem")),
                "sluice.servers.echo.tls.certificate", "/nonexistent/chain.pem does not exist");
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefused() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.tls.enabled=true",
                "sluice.servers.echo.tls.certificate=" + FIXTURES.resolve("server.pem"),
                "sluice.servers.echo.tls.private-key=" + FIXTURES.resolve("client-key.pem")),
                "sluice.servers.echo.tls.private-key", "client-key.pem");
    }

    @Test
    void aPrivateKeyWithoutACertificateNamesTheCertificate() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.tls.enabled=true",
                "sluice.servers.echo.tls.private-key=" + FIXTURES.resolve("server-key.pem")),
                "sluice.servers.echo.tls.certificate", "the certificate chain is needed too");
    }

    @Test
    void requiredClientAuthWithoutTrustedCasNamesClientAuth() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.tls.enabled=true",
                "sluice.servers.echo.tls.client-auth=require"),
                "sluice.servers.echo.tls.client-auth", "needs trust(...)");
    }

    @Test
    void anUnknownProtocolNamesTheProtocolsProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.tls.enabled=true",
                "sluice.servers.echo.tls.protocols=SSLv3"),
                "sluice.servers.echo.tls.protocols", "SSLv3");
    }

    @Test
    void tlsSettingsAreIgnoredWhileTlsIsNotEnabled() {
        Contexts.echoServer().withPropertyValues("sluice.servers.echo.tls.certificate=/nonexistent/chain.pem")
                .run(context -> {
                    int port = context.getBean(SluiceServers.class).get("echo").port();
                    assertThat(EchoPeer.roundTrip(port, "plain")).isEqualTo("plain");
                });
    }
}
