package io.sluice.filters.tls;

import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Where Bouncy Castle's JSSE gets its cryptography ({@link TlsProvider#BOUNCY_CASTLE}).
 *
 * <p>By default, from the JDK's JCA providers: measured here, Bouncy Castle's JSSE is then as fast as the JDK's,
 * and about six times slower in bulk transfer over Bouncy Castle's own provider. One gap needs filling: Bouncy
 * Castle's TLS asks for RSA-PSS signatures by the names {@code SHA256WITHRSAANDMGF1} and so on, which the JDK calls
 * {@code RSASSA-PSS}; without them no TLS 1.3 handshake can use an RSA certificate. Signature names the JDK's
 * providers do not know are therefore looked up in {@link JdkPssProvider}, which offers the JDK's RSASSA-PSS under
 * those names. Nothing is registered with {@code Security.addProvider}.
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

    /** The JDK's JCA, with its RSASSA-PSS also found under Bouncy Castle's names. */
    private static final class JdkFirst extends JcaTlsCryptoProvider {
        private static final JcaJceHelper HELPER = new DefaultJcaJceHelper() {
            @Override
            public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
                try {
                    return super.createSignature(algorithm);
                } catch (NoSuchAlgorithmException e) {
                    return Signature.getInstance(algorithm, JdkPssProvider.INSTANCE);
                }
            }
        };

        @Override
        public JcaJceHelper getHelper() {
            return HELPER;
        }
    }
}
