package io.sluice.filters.tls;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Where Bouncy Castle's JSSE gets its cryptography ({@link TlsProvider#BOUNCY_CASTLE}).
 *
 * <p>By default, from the JDK's JCA providers: measured here, Bouncy Castle's JSSE is then as fast as the JDK's,
 * and about six times slower in bulk transfer over Bouncy Castle's own provider. One gap needs filling: Bouncy
 * Castle's TLS asks for RSA-PSS signatures by the names {@code SHA256WITHRSAANDMGF1} and so on, which the JDK calls
 * {@code RSASSA-PSS}; without them no TLS 1.3 handshake can use an RSA certificate. Signature algorithms the JDK's
 * providers lack are therefore taken from a private {@link BouncyCastleProvider} instance (one signature per
 * handshake; ciphers, MACs and key exchange stay the JDK's). Nothing is registered with {@code Security.addProvider}.
 *
 * <p>With {@link TlsOptions#bouncyCastleCryptoProvider()} set, every operation goes to that provider instead.
 */
final class BouncyCastleCrypto {

    private BouncyCastleCrypto() {
    }

    static JcaTlsCryptoProvider of(TlsOptions options) {
        return options.bouncyCastleCryptoProvider()
                .map(provider -> new JcaTlsCryptoProvider().setProvider(provider))
                .orElseGet(JdkFirst::new);
    }

    /** The JDK's JCA, with signatures it does not know by Bouncy Castle's names taken from Bouncy Castle. */
    private static final class JdkFirst extends JcaTlsCryptoProvider {
        private static final JcaJceHelper HELPER = new DefaultJcaJceHelper() {
            @Override
            public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
                try {
                    return super.createSignature(algorithm);
                } catch (NoSuchAlgorithmException e) {
                    return Signature.getInstance(algorithm, Fallback.PROVIDER);
                }
            }
        };

        @Override
        public JcaJceHelper getHelper() {
            return HELPER;
        }
    }

    /** Made when first needed: building Bouncy Castle's provider registers hundreds of algorithms. */
    private static final class Fallback {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
