package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ReferenceCountUtil;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server's certificate choice: the provider's key manager judges each key type once per certificate, not once
 * per handshake, except for clients that name the certificate authorities they accept.
 */
class SniKeyManagerTest {

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void eachKeyTypeIsJudgedOnceForAllHandshakes(TlsProvider provider) throws GeneralSecurityException {
        CountingJudge judge = judge(provider, Fixtures.SERVER_EC);
        SniKeyManager keys = new SniKeyManager(new ServerCertificate("default", judge, load(Fixtures.SERVER_EC)),
                Map.of());
        try (TlsContext context = Fixtures.server(provider, s -> s.keyMaterial(Fixtures.SERVER_EC))) {
            SSLEngine engine = context.newEngine(Fixtures.fromClient());
            try {
                for (int i = 0; i < 5; i++) {
                    assertThat(keys.chooseEngineServerAlias(rsa(provider), null, engine)).isNull();
                    assertThat(keys.chooseEngineServerAlias(ec(provider), null, engine)).isEqualTo("default");
                    assertThat(keys.chooseServerAlias(ec(provider), new Principal[0], null)).isEqualTo("default");
                }
            } finally {
                ReferenceCountUtil.release(engine);
            }
        }
        assertThat(judge.asked).containsExactly(rsa(provider), ec(provider));
        assertThat(keys.getPrivateKey("default").getAlgorithm()).isEqualTo("EC");
        assertThat(keys.getCertificateChain("default")).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aClientNamingIssuersIsJudgedWithItsOwnHandshakeEveryTime(TlsProvider provider)
            throws GeneralSecurityException {
        CountingJudge judge = judge(provider, Fixtures.SERVER_RSA);
        LoadedKey key = load(Fixtures.SERVER_RSA);
        SniKeyManager keys = new SniKeyManager(new ServerCertificate("default", judge, key), Map.of());
        Principal[] issuerOfTheKey = {key.leaf().getIssuerX500Principal()};
        Principal[] someOtherCa = {new X500Principal("CN=Some Other CA")};

        String rsa = rsa(provider);
        assertThat(keys.chooseEngineServerAlias(rsa, issuerOfTheKey, null)).isEqualTo("default");
        assertThat(keys.chooseEngineServerAlias(rsa, someOtherCa, null)).isNull();
        assertThat(keys.chooseEngineServerAlias(rsa, issuerOfTheKey, null)).isEqualTo("default");

        assertThat(judge.asked).containsExactly(rsa, rsa, rsa);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void theCertificateOfEachServerNameIsJudgedOnItsOwn(TlsProvider provider) throws GeneralSecurityException {
        CountingJudge rsaJudge = judge(provider, Fixtures.SERVER_RSA);
        CountingJudge ecJudge = judge(provider, Fixtures.pem("a-example"));
        SniKeyManager keys = new SniKeyManager(
                new ServerCertificate("default", rsaJudge, load(Fixtures.SERVER_RSA)),
                Map.of("a.example", new ServerCertificate("sni:a.example", ecJudge,
                        load(Fixtures.pem("a-example")))));

        // no engine, so no SNI: the default certificate, RSA
        assertThat(keys.chooseEngineServerAlias(ec(provider), null, null)).isNull();
        assertThat(keys.chooseEngineServerAlias(rsa(provider), null, null)).isEqualTo("default");
        assertThat(keys.getServerAliases(ec(provider), null)).containsExactly("sni:a.example");
        assertThat(Fixtures.commonName(keys.getCertificateChain("sni:a.example")[0])).isEqualTo("a.example");
        assertThat(rsaJudge.asked).containsExactly(ec(provider), rsa(provider));
        assertThat(ecJudge.asked).isEmpty();
    }

    /**
     * A key type an EC P-256 certificate suits, as the provider names it when it asks: SunJSSE and Netty's OpenSSL
     * bridge name the key algorithm; Bouncy Castle names the key exchange (TLS 1.2) or the key and its curve (1.3).
     */
    private static String ec(TlsProvider provider) {
        return provider == TlsProvider.BOUNCY_CASTLE ? "ECDHE_ECDSA" : "EC";
    }

    private static String rsa(TlsProvider provider) {
        return provider == TlsProvider.BOUNCY_CASTLE ? "ECDHE_RSA" : "RSA";
    }

    private static LoadedKey load(KeyMaterial material) {
        return material.load();
    }

    private static CountingJudge judge(TlsProvider provider, KeyMaterial material) throws GeneralSecurityException {
        return new CountingJudge(JsseProvider.of(TlsOptions.server().provider(provider).keyMaterial(material).build())
                .keyManager(material.load()));
    }

    /** The provider's key manager, recording the key types it was asked to choose a server alias for. */
    private static final class CountingJudge extends X509ExtendedKeyManager {
        final X509ExtendedKeyManager judge;
        final List<String> asked = new ArrayList<>();

        CountingJudge(X509ExtendedKeyManager judge) {
            this.judge = judge;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            asked.add(keyType);
            return judge.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            asked.add(keyType);
            return judge.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return judge.getServerAliases(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return judge.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return judge.chooseClientAlias(keyTypes, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return judge.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return judge.getPrivateKey(alias);
        }
    }
}
