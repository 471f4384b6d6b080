package io.sluice.spring.boot.autoconfigure;

import io.sluice.filters.tls.KeyMaterial;
import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.filters.tls.TrustMaterial;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes a server's {@link TlsFilter} from its {@link TlsProperties}, reporting a missing or unreadable file, a key
 * that does not match, or a value the TLS options refuse against the property that set it.
 */
final class TlsFilters {

    private TlsFilters() {
    }

    /** The filter, or null when TLS is not enabled; the caller closes it when the server is gone for good. */
    static TlsFilter create(PropertyCheck at, TlsProperties tls) {
        if (!tls.isEnabled()) {
            return null;
        }
        TlsOptions.Builder options = TlsOptions.server().provider(tls.getProvider());
        keyMaterial(at, tls, options);
        if (!tls.getTrustCertificates().isEmpty()) {
            at.set("tls.trust-certificates", tls.getTrustCertificates(), files -> options.trust(
                    TrustMaterial.pem(files.stream().map(Path::of).toArray(Path[]::new))));
        }
        options.clientAuth(tls.getClientAuth());
        if (!tls.getProtocols().isEmpty()) {
            at.set("tls.protocols", tls.getProtocols(), v -> options.protocols(array(v)));
        }
        if (!tls.getCipherSuites().isEmpty()) {
            at.set("tls.cipher-suites", tls.getCipherSuites(), v -> options.cipherSuites(array(v)));
        }
        if (!tls.getApplicationProtocols().isEmpty()) {
            at.set("tls.application-protocols", tls.getApplicationProtocols(),
                    v -> options.applicationProtocols(array(v)));
        }
        at.set("tls.handshake-timeout", tls.getHandshakeTimeout(), options::handshakeTimeout);
        at.set("tls.close-notify-timeout", tls.getCloseNotifyTimeout(), options::closeNotifyTimeout);
        if (tls.getReloadInterval() != null) {
            at.set("tls.reload-interval", tls.getReloadInterval(), options::reloadInterval);
        }
        TlsOptions built;
        try {
            built = options.build();
        } catch (IllegalArgumentException refused) {
            // The options read their files when built: the message names the file, hence the property.
            throw refusal(at, tls, refused.getMessage());
        } catch (IllegalStateException unavailable) {
            // OpenSSL without its native library: the message names the artifact to add.
            throw at.invalid("tls.provider", tls.getProvider(), unavailable.getMessage());
        }
        try {
            return Tls.server(built);
        } catch (IllegalArgumentException refused) {
            // The provider refused a setting, such as a cipher suite it does not know.
            throw at.invalid(tls.getCipherSuites().isEmpty() ? "tls.provider" : "tls.cipher-suites",
                    tls.getCipherSuites().isEmpty() ? tls.getProvider() : tls.getCipherSuites(), refused.getMessage());
        }
    }

    private static void keyMaterial(PropertyCheck at, TlsProperties tls, TlsOptions.Builder options) {
        boolean pem = tls.getCertificate() != null || tls.getPrivateKey() != null;
        if (pem && tls.getKeyStore() != null) {
            throw at.invalid("tls.key-store", tls.getKeyStore(), "give either certificate and private-key, or "
                    + "key-store, not both");
        }
        if (pem) {
            if (tls.getCertificate() == null) {
                throw at.invalid("tls.certificate", null, "private-key is set, so the certificate chain is needed too");
            }
            if (tls.getPrivateKey() == null) {
                throw at.invalid("tls.private-key", null, "certificate is set, so its private key is needed too");
            }
            Path chain = Path.of(tls.getCertificate());
            Path key = Path.of(tls.getPrivateKey());
            options.keyMaterial(tls.getPrivateKeyPassword() == null ? KeyMaterial.pem(chain, key)
                    : KeyMaterial.pem(chain, key, tls.getPrivateKeyPassword().toCharArray()));
        } else if (tls.getKeyStore() != null) {
            char[] password = tls.getKeyStorePassword() == null ? new char[0] : tls.getKeyStorePassword().toCharArray();
            options.keyMaterial(KeyMaterial.pkcs12(Path.of(tls.getKeyStore()), password));
        }
    }

    /** The property a refusal of the options is about: the one whose file it names, else the setting it names. */
    private static RuntimeException refusal(PropertyCheck at, TlsProperties tls, String message) {
        String why = message == null ? "refused" : message;
        if (tls.getPrivateKey() != null && why.contains(tls.getPrivateKey())) {
            return at.invalid("tls.private-key", tls.getPrivateKey(), why);
        }
        if (tls.getCertificate() != null && why.contains(tls.getCertificate())) {
            return at.invalid("tls.certificate", tls.getCertificate(), why);
        }
        if (tls.getKeyStore() != null && why.contains(tls.getKeyStore())) {
            return at.invalid("tls.key-store", tls.getKeyStore(), why);
        }
        for (String file : tls.getTrustCertificates()) {
            if (why.contains(file)) {
                return at.invalid("tls.trust-certificates", tls.getTrustCertificates(), why);
            }
        }
        if (why.contains("clientAuth")) {
            return at.invalid("tls.client-auth", tls.getClientAuth(), why);
        }
        if (tls.getCertificate() != null) {
            return at.invalid("tls.certificate", tls.getCertificate(), why); // e.g. a key that does not match it
        }
        return at.invalid(tls.getKeyStore() != null ? "tls.key-store" : "tls.enabled",
                tls.getKeyStore() != null ? tls.getKeyStore() : true, why);
    }

    private static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }
}
