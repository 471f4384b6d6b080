package io.sluice.filters.tls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The protocol versions and cipher suites Sluice enables by default, and the check of configured ones against what
 * a provider supports.
 *
 * <p>Defaults: TLS 1.3 and 1.2 only. TLS 1.3's suites are all AEAD with forward secrecy. For TLS 1.2 only ECDHE key
 * exchange (forward secrecy) with AES-GCM or ChaCha20-Poly1305 (AEAD): no CBC, no static RSA, no SHA-1 MACs.
 */
final class CipherSuites {

    static final String TLS13 = "TLSv1.3";
    static final String TLS12 = "TLSv1.2";
    static final List<String> PROTOCOLS = List.of(TLS13, TLS12);

    static final List<String> DEFAULT = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private CipherSuites() {
    }

    /** Refuses a protocol name other than TLSv1.3 and TLSv1.2 (older versions are broken or deprecated). */
    static void checkProtocols(List<String> protocols) {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("TLS option protocols: at least one of " + PROTOCOLS + " is needed");
        }
        for (String protocol : protocols) {
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("TLS option protocols: unknown or unsupported protocol '"
                        + protocol + "'; Sluice supports " + PROTOCOLS);
            }
        }
    }

    /**
     * The suites to enable given what the provider supports: the configured list must be supported entirely; the
     * default list is narrowed to what the provider has.
     */
    static String[] enabled(List<String> configured, boolean isDefault, Set<String> supported, TlsProvider provider) {
        List<String> enabled = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String suite : configured) {
            (supported.contains(suite) ? enabled : missing).add(suite);
        }
        if (!isDefault && !missing.isEmpty()) {
            throw new IllegalArgumentException("TLS option cipherSuites: " + missing + " not supported by provider "
                    + provider);
        }
        if (enabled.isEmpty()) {
            throw new IllegalArgumentException("TLS option cipherSuites: provider " + provider + " supports none of "
                    + configured);
        }
        return enabled.toArray(new String[0]);
    }

    static Set<String> setOf(String[]... lists) {
        return Set.copyOf(Stream.of(lists).flatMap(Arrays::stream).toList());
    }
}
