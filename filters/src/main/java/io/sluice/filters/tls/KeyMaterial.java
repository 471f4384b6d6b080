package io.sluice.filters.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a private key and its certificate chain come from: PEM files (a chain, leaf first, and a PKCS#8 or
 * traditional RSA/EC key, optionally encrypted), a PKCS#12 key store, or objects already in memory.
 *
 * <p>A description only: nothing is read when one is made. {@link TlsOptions.Builder#build()} reads the files once
 * (naming the file and the option in any error, and refusing a key that does not match its certificate), and a
 * {@link TlsContext} reads them again on {@link TlsContext#reload()} or when its reload interval sees them change;
 * in-memory material never changes. Passwords are copied when given. No buffers cross this class.
 */
public final class KeyMaterial {

    private final String description;
    private final List<Path> files;
    private final Supplier<LoadedKey> loader;

    private KeyMaterial(String description, List<Path> files, Supplier<LoadedKey> loader) {
        this.description = description;
        this.files = List.copyOf(files);
        this.loader = loader;
    }

    /** A PEM certificate chain (leaf first, then intermediates) and an unencrypted PEM private key. */
    public static KeyMaterial pem(Path certificateChain, Path privateKey) {
        return pem(certificateChain, privateKey, null);
    }

    /** A PEM certificate chain and a PEM private key encrypted with {@code keyPassword} (null if it is not). */
    public static KeyMaterial pem(Path certificateChain, Path privateKey, char[] keyPassword) {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        char[] password = keyPassword == null ? null : keyPassword.clone();
        String description = "PEM " + certificateChain + " + " + privateKey;
        return new KeyMaterial(description, List.of(certificateChain, privateKey), () -> LoadedKey.checked(
                PemFiles.privateKey(privateKey, password),
                PemFiles.certificates(certificateChain, "certificate chain file"),
                "private key " + privateKey + " with certificate chain " + certificateChain));
    }

    /** The only private key entry of a PKCS#12 key store; {@code password} opens the store and the key. */
    public static KeyMaterial pkcs12(Path keyStore, char[] password) {
        return pkcs12(keyStore, password, null);
    }

    /** The private key entry {@code alias} of a PKCS#12 key store (any single entry when null). */
    public static KeyMaterial pkcs12(Path keyStore, char[] password, String alias) {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
        char[] copy = password.clone();
        return new KeyMaterial("PKCS#12 " + keyStore + (alias == null ? "" : " entry '" + alias + "'"),
                List.of(keyStore), () -> Pkcs12Files.keyEntry(keyStore, copy, alias));
    }

    /** A key and its chain (leaf first) already in memory; checked like files when the options are built. */
    public static KeyMaterial of(PrivateKey key, X509Certificate... chain) {
        Objects.requireNonNull(key, "key");
        List<X509Certificate> certificates = Arrays.asList(chain.clone());
        return new KeyMaterial("in-memory key for " + (chain.length == 0 ? "no certificate"
                : chain[0].getSubjectX500Principal().getName()), List.of(),
                () -> LoadedKey.checked(key, certificates, "in-memory key"));
    }

    /** The files this material is read from; empty for in-memory material. */
    List<Path> files() {
        return files;
    }

    /** Reads and checks the material (blocking file I/O); an {@link IllegalArgumentException} names the file. */
    LoadedKey load() {
        return loader.get();
    }

    @Override
    public String toString() {
        return description;
    }
}
