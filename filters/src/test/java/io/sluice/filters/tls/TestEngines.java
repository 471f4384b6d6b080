package io.sluice.filters.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * JDK {@link SSLContext}s and engine sources built from the committed fixtures in {@code src/test/resources/tls}
 * (see its README): PEM certificates and PKCS#8 keys loaded into in-memory PKCS#12 key stores.
 *
 * <pre>{@code
 * TlsEngineSource server = TestEngines.server().protocols("TLSv1.3").source();
 * TlsEngineSource client = TestEngines.client().protocols("TLSv1.3").source();
 * }</pre>
 */
final class TestEngines {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestEngines() {
    }

    /** A server presenting {@code server.pem}, trusting {@code ca.pem} for client certificates. */
    static Builder server() {
        return new Builder(false).certificate("server.pem", "server-key.pem");
    }

    /** A client trusting {@code ca.pem}, verifying the host name {@code localhost}, without a certificate. */
    static Builder client() {
        return new Builder(true);
    }

    /** Settings of one side; {@link #source()} makes one engine per connection. */
    static final class Builder {
        private final boolean client;
        private String certificate;
        private String key;
        private String trusted = "ca.pem";
        private String[] protocols = {"TLSv1.3", "TLSv1.2"};
        private String[] applicationProtocols;
        private boolean needClientAuth;

        private Builder(boolean client) {
            this.client = client;
        }

        Builder certificate(String certificatePem, String keyPem) {
            this.certificate = certificatePem;
            this.key = keyPem;
            return this;
        }

        Builder trust(String caPem) {
            this.trusted = caPem;
            return this;
        }

        Builder protocols(String... protocols) {
            this.protocols = protocols;
            return this;
        }

        /** ALPN, set directly on each engine's {@link SSLParameters}. */
        Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = protocols;
            return this;
        }

        Builder needClientAuth() {
            this.needClientAuth = true;
            return this;
        }

        SSLContext context() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                KeyManagerFactory keys = null;
                if (certificate != null) {
                    KeyStore store = KeyStore.getInstance("PKCS12");
                    store.load(null, null);
                    List<Certificate> chain = certificates(certificate);
                    store.setKeyEntry("key", privateKey(key), PASSWORD, chain.toArray(new Certificate[0]));
                    keys = KeyManagerFactory.getInstance("PKIX");
                    keys.init(store, PASSWORD);
                }
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int n = 0;
                for (Certificate ca : certificates(trusted)) {
                    trust.setCertificateEntry("ca" + n++, ca);
                }
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
                trustManagers.init(trust);
                context.init(keys != null ? keys.getKeyManagers() : null, trustManagers.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build the test SSLContext", e);
            }
        }

        SSLEngine engine(SSLContext context) {
            SSLEngine engine = client ? context.createSSLEngine("localhost", 443) : context.createSSLEngine();
            engine.setUseClientMode(client);
            engine.setEnabledProtocols(protocols);
            SSLParameters parameters = engine.getSSLParameters();
            if (client) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            } else if (needClientAuth) {
                parameters.setNeedClientAuth(true);
            }
            if (applicationProtocols != null) {
                parameters.setApplicationProtocols(applicationProtocols);
            }
            engine.setSSLParameters(parameters);
            return engine;
        }

        TlsEngineSource source() {
            SSLContext context = context();
            return info -> engine(context);
        }
    }

    static List<Certificate> certificates(String resource) throws GeneralSecurityException, IOException {
        try (InputStream in = open(resource)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    static PrivateKey privateKey(String resource) throws GeneralSecurityException, IOException {
        String pem;
        try (InputStream in = open(resource)) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = TestEngines.class.getResourceAsStream("/tls/" + resource);
        if (in == null) {
            throw new UncheckedIOException(new IOException("missing test fixture tls/" + resource));
        }
        return in;
    }
}
