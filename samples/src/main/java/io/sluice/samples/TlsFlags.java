package io.sluice.samples;

import io.sluice.filters.tls.TlsProvider;
import java.util.Locale;

/** The TLS provider names the samples' command lines use: {@code jdk}, {@code bc} and {@code openssl}. */
public final class TlsFlags {

    /** For option descriptions. */
    public static final String PROVIDERS = "jdk (the JDK's SunJSSE), bc (Bouncy Castle JSSE) or openssl "
            + "(BoringSSL through netty-tcnative)";

    private TlsFlags() {
    }

    /** The provider {@code name} stands for; throws {@link IllegalArgumentException} naming the known ones. */
    public static TlsProvider provider(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "jdk" -> TlsProvider.JDK;
            case "bc" -> TlsProvider.BOUNCY_CASTLE;
            case "openssl" -> TlsProvider.OPENSSL;
            default -> throw new IllegalArgumentException("unknown TLS provider '" + name + "'; one of jdk, bc, "
                    + "openssl");
        };
    }

    /** The command-line name of {@code provider}, the inverse of {@link #provider(String)}. */
    public static String name(TlsProvider provider) {
        return switch (provider) {
            case JDK -> "jdk";
            case BOUNCY_CASTLE -> "bc";
            case OPENSSL -> "openssl";
        };
    }
}
