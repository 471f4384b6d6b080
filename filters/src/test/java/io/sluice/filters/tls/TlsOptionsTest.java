package io.sluice.filters.tls;

import static io.sluice.filters.tls.Fixtures.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options fail when built, with a message naming the option and the file. */
class TlsOptionsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreSafe() {
        TlsOptions server = TlsOptions.server().keyMaterial(Fixtures.SERVER_EC).build();
        assertThat(server.provider()).isEqualTo(TlsProvider.JDK);
        assertThat(server.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(server.cipherSuites()).allSatisfy(suite -> assertThat(suite)
                .matches("TLS_(AES|CHACHA20).*|TLS_ECDHE_(RSA|ECDSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"));
        assertThat(server.clientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(server.reloadInterval()).isEqualTo(Duration.ZERO);
        assertThat(server.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(server.closeNotifyTimeout()).isEqualTo(Duration.ofSeconds(3));
        TlsOptions client = TlsOptions.client().build();
        assertThat(client.hostnameVerification()).isTrue();
        assertThat(client.trust()).isEmpty();
    }

    @Test
    void aMissingFileIsNamedWithItsOption() {
        Path missing = dir.resolve("nowhere.pem");
        assertThatThrownBy(() -> TlsOptions.server().keyMaterial(KeyMaterial.pem(missing, file("server-key.pem")))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS option keyMaterial: certificate chain file " + missing + " does not exist");
        assertThatThrownBy(() -> TlsOptions.server().keyMaterial(Fixtures.SERVER_RSA)
                .sni("a.example", KeyMaterial.pem(file("a-example.pem"), missing)).build())
                .hasMessage("TLS option sni(\"a.example\", ...): private key file " + missing + " does not exist");
        assertThatThrownBy(() -> TlsOptions.client().trust(TrustMaterial.pem(file("ca.pem"), missing)).build())
                .hasMessage("TLS option trust: CA file " + missing + " does not exist");
        assertThatThrownBy(() -> TlsOptions.client().trust(TrustMaterial.pkcs12(missing, Fixtures.PASSWORD)).build())
                .hasMessage("TLS option trust: PKCS#12 trust store " + missing + " does not exist");
    }

    @Test
    void anUnreadableFileIsNamed() {
        Path locked = dir.resolve("locked.pem");
        assertThat(PemFiles.unreadable("certificate chain file", locked,
                new java.nio.file.AccessDeniedException(locked.toString())))
                .hasMessage("certificate chain file " + locked + " cannot be read: permission denied");
        assertThatThrownBy(() -> TlsOptions.server().keyMaterial(KeyMaterial.pem(dir, file("server-key.pem")))
                .build())
                .hasMessageStartingWith("TLS option keyMaterial: cannot read certificate chain file " + dir);
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefused() {
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pem(file("server-ec.pem"), file("server-key.pem"))).build())
                .hasMessageStartingWith("TLS option keyMaterial: private key " + file("server-key.pem")
                        + " with certificate chain " + file("server-ec.pem")
                        + ": the private key does not match the certificate CN=localhost")
                .hasMessageEndingWith("it is an RSA key and the certificate holds an EC key");
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pem(file("server.pem"), file("b-example-key.pem"))).build())
                .hasMessageEndingWith("the private key does not match the certificate CN=localhost: the certificate "
                        + "holds a different public key");
        assertThatThrownBy(() -> TlsOptions.client()
                .keyMaterial(KeyMaterial.pem(file("client.pem"), file("server-ec-key.pem"))).build())
                .hasMessageContaining("does not match the certificate CN=Sluice Test Client");
    }

    @Test
    void filesHoldingTheWrongThingsAreRefused() {
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pem(file("server-key.pem"), file("server-key.pem"))).build())
                .hasMessage("TLS option keyMaterial: certificate chain file " + file("server-key.pem")
                        + " holds no PEM certificate");
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pem(file("server.pem"), file("server.pem"))).build())
                .hasMessage("TLS option keyMaterial: private key file " + file("server.pem")
                        + " holds no PEM private key");
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pkcs12(file("server.p12"), "wrong".toCharArray())).build())
                .hasMessageStartingWith("TLS option keyMaterial: cannot open PKCS#12 key store " + file("server.p12")
                        + ": wrong password");
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pkcs12(file("server.pem"), Fixtures.PASSWORD)).build())
                .hasMessageStartingWith("TLS option keyMaterial: cannot open PKCS#12 key store " + file("server.pem"));
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pkcs12(file("truststore.p12"), Fixtures.PASSWORD)).build())
                .hasMessage("TLS option keyMaterial: PKCS#12 key store " + file("truststore.p12")
                        + " holds no private key entry");
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pkcs12(file("server.p12"), Fixtures.PASSWORD, "other")).build())
                .hasMessage("TLS option keyMaterial: PKCS#12 key store " + file("server.p12")
                        + " has no private key entry 'other'; its key entries are [server]");
        assertThatThrownBy(() -> TlsOptions.client()
                .trust(TrustMaterial.pkcs12(file("server.p12"), Fixtures.PASSWORD)).build())
                .hasMessage("TLS option trust: PKCS#12 trust store " + file("server.p12")
                        + " holds no trusted certificate entry");
        assertThatThrownBy(() -> TlsOptions.client().trust(TrustMaterial.pem(file("server-key.pem"))).build())
                .hasMessage("TLS option trust: CA file " + file("server-key.pem") + " holds no PEM certificate");
    }

    @Test
    void keysAreReadFromEncryptedPkcs8AndFromCombinedFiles() throws Exception {
        PrivateKey key = Fixtures.SERVER_EC.load().key();
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("secret".toCharArray())
                .build();
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(key, encryptor));
        }
        Path encrypted = Files.writeString(dir.resolve("encrypted-key.pem"), pem.toString());
        Path chain = file("server-ec.pem");

        TlsOptions.server().keyMaterial(KeyMaterial.pem(chain, encrypted, "secret".toCharArray())).build();
        assertThatThrownBy(() -> TlsOptions.server().keyMaterial(KeyMaterial.pem(chain, encrypted)).build())
                .hasMessage("TLS option keyMaterial: private key file " + encrypted
                        + " holds an encrypted key: give its password");
        assertThatThrownBy(() -> TlsOptions.server()
                .keyMaterial(KeyMaterial.pem(chain, encrypted, "wrong".toCharArray())).build())
                .hasMessageStartingWith("TLS option keyMaterial: private key file " + encrypted
                        + ": cannot decrypt or decode the key; is the password right?");

        Path combined = Files.writeString(dir.resolve("combined.pem"), Files.readString(file("server-ec-key.pem"))
                + Files.readString(file("server-ec.pem")) + Files.readString(file("ca.pem")));
        LoadedKey loaded = KeyMaterial.pem(combined, combined).load();
        assertThat(loaded.chain()).hasSize(2);
        assertThat(loaded.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void unknownProtocolsAndBadNamesAreRefused() {
        assertThatThrownBy(() -> TlsOptions.server().protocols("TLSv1.3", "SSLv3"))
                .hasMessage("TLS option protocols: unknown or unsupported protocol 'SSLv3'; Sluice supports "
                        + "[TLSv1.3, TLSv1.2]");
        assertThatThrownBy(() -> TlsOptions.client().protocols("TLSv1.1")).hasMessageContaining("'TLSv1.1'");
        assertThatThrownBy(() -> TlsOptions.client().protocols("tls1.3")).hasMessageContaining("'tls1.3'");
        assertThatThrownBy(() -> TlsOptions.client().protocols()).hasMessageContaining("at least one");
        assertThatThrownBy(() -> TlsOptions.server().sni("not a host", Fixtures.SERVER_EC))
                .hasMessageStartingWith("TLS option sni: 'not a host' is not a valid host name");
        assertThatThrownBy(() -> TlsOptions.client().serverName("bad_host!"))
                .hasMessageStartingWith("TLS option serverName: 'bad_host!' is not a valid host name");
        assertThatThrownBy(() -> TlsOptions.client().applicationProtocols("h2", ""))
                .hasMessage("TLS option applicationProtocols: '' must be 1 to 255 bytes long");
        assertThatThrownBy(() -> TlsOptions.client().reloadInterval(Duration.ofSeconds(-1)))
                .hasMessageContaining("reloadInterval must not be negative");
        assertThatThrownBy(() -> TlsOptions.client().handshakeTimeout(Duration.ZERO))
                .hasMessageContaining("handshakeTimeout must be positive");
    }

    @Test
    void optionsOfTheOtherRoleAreRefused() {
        assertThatThrownBy(() -> TlsOptions.client().sni("a.example", Fixtures.SERVER_EC).build())
                .hasMessageStartingWith("TLS option sni is for servers");
        assertThatThrownBy(() -> TlsOptions.client().clientAuth(ClientAuth.REQUIRE).build())
                .hasMessageStartingWith("TLS option clientAuth is for servers");
        assertThatThrownBy(() -> TlsOptions.server().serverName("localhost").build())
                .hasMessageStartingWith("TLS option serverName is for clients");
        assertThatThrownBy(() -> TlsOptions.server().hostnameVerification(false).build())
                .hasMessageStartingWith("TLS option hostnameVerification is for clients");
        assertThatThrownBy(() -> TlsOptions.server().keyMaterial(Fixtures.SERVER_EC).clientAuth(ClientAuth.OPTIONAL)
                .build())
                .hasMessage("TLS option clientAuth(OPTIONAL) needs trust(...): the CAs that issue client certificates");
        assertThatThrownBy(() -> TlsOptions.client()
                .bouncyCastleCryptoProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build())
                .hasMessage("TLS option bouncyCastleCryptoProvider applies to provider BOUNCY_CASTLE only, not JDK");
    }

    @Test
    void cipherSuitesMustBeKnownToTheProvider() {
        for (TlsProvider provider : TlsProvider.values()) {
            TlsOptions options = TlsOptions.server().provider(provider).keyMaterial(Fixtures.SERVER_EC)
                    .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_MADE_UP_SUITE").build();
            assertThatThrownBy(() -> TlsContext.create(options)).as(provider.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TLS option cipherSuites: [TLS_MADE_UP_SUITE] not supported by provider " + provider);
        }
    }

    @Test
    void aMissingOpenSslLibraryIsAStartupErrorNamingTheArtifact() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("no netty_tcnative in java.library.path");
        assertThat(OpenSslSupport.unavailable(cause)).hasCause(cause)
                .hasMessageStartingWith("TLS provider OPENSSL is not available: add "
                        + "io.netty:netty-tcnative-boringssl-static (classifier for this platform")
                .hasMessageContaining("no netty_tcnative in java.library.path");
    }
}
