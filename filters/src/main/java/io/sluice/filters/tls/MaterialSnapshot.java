package io.sluice.filters.tls;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the key and trust material of one {@link TlsOptions} held when it was read: the engines of one generation of
 * a {@link TlsContext} are built from one snapshot.
 *
 * @param key the server's default key (the development certificate when none is configured), or the client's
 *     certificate; null for a client without one
 * @param sni key per server name (lower case; {@code *.example} for a wildcard), in configuration order
 * @param trust the trusted CAs; null for the system's default trust store, or for a server without client auth
 * @param stamp the files' state just before they were read
 */
record MaterialSnapshot(LoadedKey key, Map<String, LoadedKey> sni, List<X509Certificate> trust, FileStamp stamp) {

    /** Reads every file of {@code options} (blocking); an error names the option and the file. */
    static MaterialSnapshot load(TlsOptions options) {
        FileStamp stamp = FileStamp.of(options.files()); // first: a change made while reading shows at the next poll
        LoadedKey key = options.keyMaterial().map(material -> read("keyMaterial", material::load)).orElse(null);
        if (key == null && options.role() == TlsOptions.Role.SERVER) {
            key = DevelopmentCertificate.keyFor("TLS server (" + options.provider() + ")");
        }
        Map<String, LoadedKey> sni = new LinkedHashMap<>();
        options.sniKeyMaterial().forEach((name, material) -> sni.put(name,
                read("sni(\"" + name + "\", ...)", material::load)));
        List<X509Certificate> trust = options.trust().map(material -> read("trust", material::load)).orElse(null);
        return new MaterialSnapshot(key, Collections.unmodifiableMap(sni), trust == null ? null : List.copyOf(trust), stamp);
    }

    private static <T> T read(String option, Supplier<T> loader) {
        try {
            return loader.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS option " + option + ": " + e.getMessage(), e);
        }
    }
}
