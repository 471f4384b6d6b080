package io.sluice.filters.tls;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A JDK client engine that presents its certificate whatever CAs the server asks for (ordinary key managers send
 * nothing rather than a certificate the server will not accept), to test how a server treats one it cannot verify.
 */
final class StubbornClient {

    private StubbornClient() {
    }

    static SSLEngine engine(KeyMaterial material, String protocol) throws Exception {
        LoadedKey key = material.load();
        KeyStore cas = KeyStore.getInstance("PKCS12");
        cas.load(null, null);
        cas.setCertificateEntry("ca", PemFiles.certificates(Fixtures.file("ca.pem"), "CA file").get(0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(cas);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new AlwaysThisKey(key)}, trust.getTrustManagers(), null);
        SSLEngine engine = context.createSSLEngine("localhost", 8443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {protocol});
        return engine;
    }

    private static final class AlwaysThisKey extends X509ExtendedKeyManager {
        private final LoadedKey key;

        AlwaysThisKey(LoadedKey key) {
            this.key = key;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return "key";
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return "key";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"key"};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return key.chainArray();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
