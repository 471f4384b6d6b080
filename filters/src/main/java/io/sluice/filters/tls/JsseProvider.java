package io.sluice.filters.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The JSSE provider whose factories make a {@link TlsContext}'s key managers, trust managers and {@link SSLContext}:
 * the JDK's SunJSSE, or a private instance of Bouncy Castle's JSSE. OpenSSL engines take the JDK's managers, which
 * Netty's engine calls back into.
 *
 * <p>Key and trust managers always come from the same provider as the engine that calls them: each provider names
 * key types its own way (Bouncy Castle asks for {@code ECDHE_RSA} or {@code EC/secp256r1} where SunJSSE asks for
 * {@code RSA} or {@code EC}), and only its own {@code PKIX} key manager understands them. That is why a key manager
 * built the way Netty builds one from PEM files (SunJSSE's {@code SunX509}) makes every Bouncy Castle handshake fail
 * with "no selectable cipher suite".
 *
 * <p>Bouncy Castle's JSSE takes its cryptography from {@link BouncyCastleCrypto} (the JDK's JCA by default), and
 * every {@link SSLContext} is initialized with an explicit
 * {@link java.security.SecureRandom}: without one Bouncy Castle looks up a {@code "DEFAULT"} SecureRandom, which only its own
 * provider registers, so nothing needs {@code Security.addProvider}. It is a {@link HandshakeRandom}, seeded when the
 * context is made, so that handshakes draw randomness without reading a file. (SunJSSE still signs with the JDK's
 * default SecureRandom, which reads {@code /dev/urandom} now and then: that is out of a context's reach.)
 */
final class JsseProvider {

    /** The in-memory key stores that feed the key managers never leave this class: any password will do. */
    private static final char[] IN_MEMORY_PASSWORD = "sluice".toCharArray();

    private final Provider jsse;

    private JsseProvider(Provider jsse) {
        this.jsse = jsse;
    }

    static JsseProvider of(TlsOptions options) {
        if (options.provider() != TlsProvider.BOUNCY_CASTLE) {
            return new JsseProvider(Security.getProvider("SunJSSE"));
        }
        return new JsseProvider(new BouncyCastleJsseProvider(false, BouncyCastleCrypto.of(options)));
    }

    /** This provider's {@code PKIX} key manager over {@code key} alone, used to judge whether it suits a handshake. */
    X509ExtendedKeyManager keyManager(LoadedKey key) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        store.setKeyEntry("key", key.key(), IN_MEMORY_PASSWORD, key.chainArray());
        KeyManagerFactory factory = jsse == null ? KeyManagerFactory.getInstance("PKIX")
                : KeyManagerFactory.getInstance("PKIX", jsse);
        factory.init(store, IN_MEMORY_PASSWORD);
        for (KeyManager manager : factory.getKeyManagers()) {
            if (manager instanceof X509ExtendedKeyManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("the PKIX key manager factory of " + jsse + " made no X509 key manager");
    }

    /** This provider's {@code PKIX} trust manager over {@code cas}, or over the system's trust store when null. */
    X509ExtendedTrustManager trustManager(List<X509Certificate> cas) throws GeneralSecurityException {
        KeyStore store = null;
        if (cas != null) {
            store = emptyStore();
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
        }
        TrustManagerFactory factory = jsse == null ? TrustManagerFactory.getInstance("PKIX")
                : TrustManagerFactory.getInstance("PKIX", jsse);
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("the PKIX trust manager factory of " + jsse + " made no X509 trust "
                + "manager");
    }

    /** An initialized TLS context of this provider. */
    SSLContext sslContext(KeyManager keyManager, TrustManager trustManager) throws GeneralSecurityException {
        SSLContext context = jsse == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", jsse);
        context.init(keyManager == null ? null : new KeyManager[] {keyManager},
                new TrustManager[] {trustManager}, HandshakeRandom.create());
        return context;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        return store;
    }
}
