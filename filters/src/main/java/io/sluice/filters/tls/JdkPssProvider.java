package io.sluice.filters.tls;

import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.Map;

/**
 * The JDK's RSASSA-PSS signatures under the names Bouncy Castle's TLS asks for ({@code SHA256WITHRSAANDMGF1} and
 * the SHA-384 and SHA-512 variants), so that {@link TlsProvider#BOUNCY_CASTLE} over the JDK's JCA can sign and verify
 * TLS 1.3 handshakes with RSA keys. A private provider instance, never registered globally.
 *
 * <p>Each signature wraps a JDK {@code RSASSA-PSS} {@link Signature} preset with the parameters the name implies
 * (MGF1 with the same digest, salt as long as the digest); Bouncy Castle sets them explicitly anyway.
 */
final class JdkPssProvider extends Provider {

    private static final Map<String, String> DIGESTS = Map.of(
            "SHA256WITHRSAANDMGF1", "SHA-256",
            "SHA384WITHRSAANDMGF1", "SHA-384",
            "SHA512WITHRSAANDMGF1", "SHA-512");

    static final JdkPssProvider INSTANCE = new JdkPssProvider();

    private JdkPssProvider() {
        super("SluiceJdkPss", "1.0", "The JDK's RSASSA-PSS under Bouncy Castle's signature names");
        DIGESTS.forEach((name, digest) -> putService(new PssService(this, name, digest)));
    }

    private static final class PssService extends Service {
        private final String digest;

        PssService(Provider provider, String name, String digest) {
            super(provider, "Signature", name, PssSignature.class.getName(), List.of(), null);
            this.digest = digest;
        }

        @Override
        public Object newInstance(Object ignored) throws NoSuchAlgorithmException {
            return new PssSignature(digest);
        }
    }

    /** Delegates every call to a JDK {@code RSASSA-PSS} signature. */
    static final class PssSignature extends SignatureSpi {
        private final Signature jdk;

        PssSignature(String digest) throws NoSuchAlgorithmException {
            this.jdk = Signature.getInstance("RSASSA-PSS");
            int saltLength = switch (digest) {
                case "SHA-256" -> 32;
                case "SHA-384" -> 48;
                default -> 64;
            };
            try {
                jdk.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest), saltLength,
                        PSSParameterSpec.TRAILER_FIELD_BC));
            } catch (InvalidAlgorithmParameterException e) {
                throw new NoSuchAlgorithmException("RSASSA-PSS with " + digest + " is not available", e);
            }
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            jdk.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            jdk.initSign(privateKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey, SecureRandom random) throws InvalidKeyException {
            jdk.initSign(privateKey, random);
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            jdk.update(b);
        }

        @Override
        protected void engineUpdate(byte[] bytes, int offset, int length) throws SignatureException {
            jdk.update(bytes, offset, length);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            return jdk.sign();
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            return jdk.verify(signature);
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
            jdk.setParameter(params);
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return jdk.getParameters();
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new UnsupportedOperationException("use setParameter(AlgorithmParameterSpec)");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new UnsupportedOperationException("use getParameters()");
        }
    }
}
