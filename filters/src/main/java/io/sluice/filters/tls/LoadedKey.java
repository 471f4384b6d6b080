package io.sluice.filters.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key with its certificate chain (leaf first), read from wherever a {@link KeyMaterial} points, and
 * checked: the key must be the one the leaf certificate was issued for.
 *
 * @param key the private key
 * @param chain the certificate chain, leaf first, never empty
 * @param source where it came from, for messages
 */
record LoadedKey(PrivateKey key, List<X509Certificate> chain, String source) {

    LoadedKey {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(source + " has no certificate");
        }
    }

    /** Loads {@code key} and {@code chain}, refusing a key that does not belong to the chain's first certificate. */
    static LoadedKey checked(PrivateKey key, List<X509Certificate> chain, String source) {
        LoadedKey loaded = new LoadedKey(key, chain, source);
        loaded.checkKeyMatchesLeaf();
        return loaded;
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }

    /**
     * Signs a random challenge with the private key and verifies it with the leaf's public key: this works for
     * every signing algorithm without comparing key internals.
     */
    private void checkKeyMatchesLeaf() {
        PublicKey certified = leaf().getPublicKey();
        String algorithm = key.getAlgorithm();
        if (!algorithm.equals(certified.getAlgorithm())) {
            throw mismatch("it is an " + algorithm + " key and the certificate holds an "
                    + certified.getAlgorithm() + " key");
        }
        String signature = switch (algorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new IllegalArgumentException(source + ": unsupported key algorithm " + algorithm
                    + " (RSA, EC and EdDSA keys are supported)");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(signature);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signed = signer.sign();
            if (!verifies(signature, certified, challenge, signed)) {
                throw mismatch("the certificate holds a different public key");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(source + ": cannot check that the private key matches the "
                    + "certificate (" + e.getMessage() + ")", e);
        }
    }

    private static boolean verifies(String signature, PublicKey certified, byte[] challenge, byte[] signed)
            throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(signature);
        verifier.initVerify(certified);
        verifier.update(challenge);
        try {
            return verifier.verify(signed);
        } catch (SignatureException e) {
            return false; // for example an RSA signature of another key size
        }
    }

    private IllegalArgumentException mismatch(String why) {
        return new IllegalArgumentException(source + ": the private key does not match the certificate "
                + leaf().getSubjectX500Principal().getName() + ": " + why);
    }

    @Override
    public String toString() {
        return source + " (" + leaf().getSubjectX500Principal().getName() + ")";
    }
}
