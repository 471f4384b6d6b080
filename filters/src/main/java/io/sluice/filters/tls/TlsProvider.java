package io.sluice.filters.tls;

/**
 * The TLS implementation behind the {@link javax.net.ssl.SSLEngine}s of a {@link TlsContext}. All three accept the
 * same {@link TlsOptions} and behave the same on the wire; they differ in speed, memory and where their code comes
 * from. Buffers: the engines of all three work on the buffers their caller passes to {@code wrap}/{@code unwrap}
 * and keep none of them.
 */
public enum TlsProvider {

    /** The JDK's own SunJSSE. The default: nothing to add, nothing native. */
    JDK,

    /**
     * Bouncy Castle's JSSE ({@code org.bouncycastle:bctls-jdk18on}), a pure-Java TLS stack independent of the JDK's.
     *
     * <p>Its ciphers, signatures and key exchanges come from the JDK's JCA providers by default: measured here, that
     * makes it as fast as {@link #JDK}, while Bouncy Castle's own crypto provider is about six times slower in bulk
     * transfer. {@link TlsOptions.Builder#bouncyCastleCryptoProvider(java.security.Provider)} picks another JCA
     * provider (for example Bouncy Castle's, or a FIPS or hardware one) deliberately. No provider is registered
     * globally: the JSSE provider instance is private to Sluice and handed its randomness explicitly.
     */
    BOUNCY_CASTLE,

    /**
     * BoringSSL through Netty's OpenSSL engine: the fastest, with its buffers and keys in native memory. Needs the
     * optional {@code io.netty:netty-tcnative-boringssl-static} artifact for this platform on the class path; building
     * {@link TlsOptions} with this provider fails at once, naming the artifact, when it is missing. Its engines are
     * {@link io.netty.util.ReferenceCounted}: whoever takes one from {@link TlsContext#newEngine} releases it once.
     */
    OPENSSL
}
