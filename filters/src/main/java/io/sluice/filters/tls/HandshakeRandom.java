package io.sluice.filters.tls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * The randomness a {@link TlsContext}'s handshakes draw on: a DRBG seeded from the operating system once, when the
 * context is made (off the event loops), and never again from a file.
 *
 * <p>{@link #generateSeed(int)} is answered from the DRBG too. Bouncy Castle's JSSE seeds a small nonce generator
 * for every connection with {@code generateSeed}, and the JDK's DRBG would read {@code /dev/random} for each one, a
 * file read on the event loop. Seeding a nonce generator from a DRBG that was itself seeded with full entropy is
 * sound; keys come from the DRBG itself.
 *
 * <p>Public so that a JSSE context built outside Sluice (another server in the same process, a benchmark's baseline)
 * can draw on the same kind of randomness; create it at startup, off the event loops.
 */
public final class HandshakeRandom extends SecureRandom {

    private HandshakeRandom(SecureRandom drbg) {
        super(new Spi(drbg), drbg.getProvider());
    }

    /** A new one, seeded now (blocking: reads the operating system's entropy). */
    public static SecureRandom create() throws GeneralSecurityException {
        SecureRandom drbg = SecureRandom.getInstance("DRBG");
        drbg.nextBytes(new byte[16]);
        return new HandshakeRandom(drbg);
    }

    @Override
    public String getAlgorithm() {
        return "DRBG (seeded once)";
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
