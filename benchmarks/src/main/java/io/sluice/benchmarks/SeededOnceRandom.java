package io.sluice.benchmarks;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * For Reactor Netty's JSSE contexts in the TLS comparison: a DRBG seeded from the operating system once, which
 * also answers {@code generateSeed} from the DRBG, as Sluice's TLS contexts do. Without it, Bouncy Castle's JSSE
 * would read {@code /dev/random} for every connection's nonce generator, and the comparison would measure file
 * reads rather than TLS.
 */
final class SeededOnceRandom extends SecureRandom {

    private SeededOnceRandom(SecureRandom drbg) {
        super(new Spi(drbg), drbg.getProvider());
    }

    static SecureRandom create() throws GeneralSecurityException {
        SecureRandom drbg = SecureRandom.getInstance("DRBG");
        drbg.nextBytes(new byte[16]);
        return new SeededOnceRandom(drbg);
    }

    private static final class Spi extends SecureRandomSpi {
        private final SecureRandom drbg;

        Spi(SecureRandom drbg) {
            this.drbg = drbg;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            drbg.setSeed(seed);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            drbg.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int length) {
            byte[] seed = new byte[length];
            drbg.nextBytes(seed);
            return seed;
        }
    }
}
