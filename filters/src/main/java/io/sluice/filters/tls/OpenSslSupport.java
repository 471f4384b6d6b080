package io.sluice.filters.tls;

import io.netty.handler.ssl.OpenSsl;

/**
 * Whether {@link TlsProvider#OPENSSL} can run here. Asking loads Netty's native BoringSSL library once (a file is
 * extracted and linked), so it happens when {@link TlsOptions} are built, at startup, never on an event loop.
 */
final class OpenSslSupport {

    /** The artifact to add, with the version this build is tested with (the one the Netty BOM manages). */
    static final String ARTIFACT = "io.netty:netty-tcnative-boringssl-static (classifier for this platform, such as "
            + "linux-x86_64; version 2.0.81.Final)";

    private OpenSslSupport() {
    }

    /** Throws {@link IllegalStateException} naming the artifact if OpenSSL cannot be used. */
    static void require() {
        Throwable cause;
        try {
            cause = OpenSsl.isAvailable() ? null : OpenSsl.unavailabilityCause();
        } catch (LinkageError e) {
            cause = e;
        }
        if (cause != null) {
            throw unavailable(cause);
        }
    }

    static IllegalStateException unavailable(Throwable cause) {
        return new IllegalStateException("TLS provider OPENSSL is not available: add " + ARTIFACT
                + " to the class path, or choose TlsProvider.JDK (" + cause + ")", cause);
    }
}
