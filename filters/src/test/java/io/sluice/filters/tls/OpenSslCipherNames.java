package io.sluice.filters.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenSSL's names of cipher suites (such as {@code ECDHE-RSA-AES128-GCM-SHA256}) translated to the standard ones
 * Java uses ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) by OpenSSL itself: {@code openssl ciphers -stdname}, asked
 * once.
 */
final class OpenSslCipherNames {

    private static Map<String, String> standard;

    private OpenSslCipherNames() {
    }

    /** The standard name of the suite OpenSSL calls {@code openSslName}. */
    static synchronized String standard(String openSslName) {
        if (standard == null) {
            standard = load();
        }
        String name = standard.get(openSslName);
        if (name == null) {
            throw new AssertionError("openssl ciphers -stdname does not know " + openSslName);
        }
        return name;
    }

    private static Map<String, String> load() {
        try (PeerProcess ciphers = PeerProcess.openssl(List.of("ciphers", "-stdname", "ALL"))) {
            if (ciphers.awaitExit() != 0) {
                throw new AssertionError("openssl ciphers failed: " + ciphers.describe());
            }
            Map<String, String> names = new HashMap<>();
            for (String line : ciphers.stdout().lines().toList()) {
                String[] fields = line.trim().split("\\s+"); // STANDARD - OPENSSL VERSION Kx=...
                if (fields.length > 2 && fields[1].equals("-")) {
                    names.put(fields[2], fields[0]);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
