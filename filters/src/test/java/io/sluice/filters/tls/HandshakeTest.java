package io.sluice.filters.tls;

import static io.sluice.filters.tls.Fixtures.handshake;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every provider as server against every provider as client, TLS 1.2 and 1.3, RSA and EC keys from PEM and PKCS#12. */
class HandshakeTest {

    enum KeySource {
        RSA_PEM("RSA"), EC_PEM("EC"), RSA_PKCS12("RSA"), EC_PKCS12("EC");

        final String algorithm;

        KeySource(String algorithm) {
            this.algorithm = algorithm;
        }

        KeyMaterial material(Path dir) throws IOException, GeneralSecurityException {
            return switch (this) {
                case RSA_PEM -> Fixtures.SERVER_RSA;
                case EC_PEM -> Fixtures.SERVER_EC;
                case RSA_PKCS12 -> Fixtures.SERVER_P12;
                case EC_PKCS12 -> KeyMaterial.pkcs12(pkcs12Of(Fixtures.SERVER_EC, dir.resolve("server-ec.p12")),
                        Fixtures.PASSWORD);
            };
        }
    }

    static Stream<Arguments> cases() {
        return Fixtures.providerPairs().flatMap(pair -> Stream.of("TLSv1.3", "TLSv1.2").flatMap(
                protocol -> Stream.of(KeySource.values()).map(key -> Arguments.of(pair.get()[0], pair.get()[1],
                        protocol, key))));
    }

    @ParameterizedTest(name = "{0} server, {1} client, {2}, {3}")
    @MethodSource("cases")
    void handshakesAndCarriesApplicationDataBothWays(TlsProvider serverProvider, TlsProvider clientProvider,
            String protocol, KeySource key, @TempDir Path dir) throws Exception {
        KeyMaterial material = key.material(dir);
        try (TlsContext server = Fixtures.server(serverProvider, s -> s.keyMaterial(material));
                TlsContext client = Fixtures.client(clientProvider, c -> c.protocols(protocol));
                EnginePair pair = handshake(client, server)) {
            assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
            assertThat(pair.client.session().getProtocol()).isEqualTo(protocol);
            assertThat(pair.server.session().getProtocol()).isEqualTo(protocol);
            X509Certificate presented = (X509Certificate) pair.client.session().getPeerCertificates()[0];
            assertThat(presented.getPublicKey().getAlgorithm()).isEqualTo(key.algorithm);
            assertThat(Fixtures.commonName(presented)).isEqualTo("localhost");

            byte[] request = "ping from the client".getBytes();
            assertThat(pair.send(pair.client, request)).isEqualTo(request);
            byte[] response = new byte[40_000]; // more than two records
            new Random(7).nextBytes(response);
            assertThat(pair.send(pair.server, response)).isEqualTo(response);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("bouncyCastleOwnCryptoCases")
    void bouncyCastleRunsOnItsOwnCryptoProviderWhenAskedTo(String protocol, KeySource key, @TempDir Path dir)
            throws Exception {
        KeyMaterial material = key.material(dir);
        java.security.Provider own = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        try (TlsContext server = Fixtures.server(TlsProvider.BOUNCY_CASTLE,
                        s -> s.keyMaterial(material).bouncyCastleCryptoProvider(own));
                TlsContext client = Fixtures.client(TlsProvider.JDK, c -> c.protocols(protocol));
                EnginePair pair = handshake(client, server)) {
            assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
            byte[] data = "through Bouncy Castle's own ciphers".getBytes();
            assertThat(pair.send(pair.client, data)).isEqualTo(data);
        }
    }

    static Stream<Arguments> bouncyCastleOwnCryptoCases() {
        return Stream.of("TLSv1.3", "TLSv1.2").flatMap(protocol -> Stream.of(KeySource.RSA_PEM, KeySource.EC_PEM)
                .map(key -> Arguments.of(protocol, key)));
    }

    /** Writes the key of {@code material} into a new PKCS#12 store at {@code file}. */
    static Path pkcs12Of(KeyMaterial material, Path file) throws IOException, GeneralSecurityException {
        LoadedKey key = material.load();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key.key(), Fixtures.PASSWORD, key.chainArray());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, Fixtures.PASSWORD);
        }
        return file;
    }
}
