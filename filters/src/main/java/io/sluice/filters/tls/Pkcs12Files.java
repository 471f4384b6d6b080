package io.sluice.filters.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads PKCS#12 key stores with the JDK's {@link KeyStore}. Every failure is an {@link IllegalArgumentException}
 * naming the file. Blocking file I/O: never on an event loop.
 */
final class Pkcs12Files {

    private Pkcs12Files() {
    }

    /**
     * The private key entry {@code alias} of {@code file}, or its only one when {@code alias} is null, with the
     * store's password also unlocking the key (the PKCS#12 convention).
     */
    static LoadedKey keyEntry(Path file, char[] password, String alias) {
        String what = "PKCS#12 key store";
        KeyStore store = open(file, password, what);
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String name : Collections.list(store.aliases())) {
                if (store.isKeyEntry(name)) {
                    keyAliases.add(name);
                }
            }
            String chosen = alias;
            if (chosen == null) {
                if (keyAliases.size() != 1) {
                    throw new IllegalArgumentException(what + " " + file + (keyAliases.isEmpty()
                            ? " holds no private key entry"
                            : " holds several private keys " + keyAliases + ": name one as the alias"));
                }
                chosen = keyAliases.get(0);
            } else if (!keyAliases.contains(chosen)) {
                throw new IllegalArgumentException(what + " " + file + " has no private key entry '" + alias
                        + "'; its key entries are " + keyAliases);
            }
            Key key = store.getKey(chosen, password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalArgumentException(what + " " + file + ": entry '" + chosen + "' is not a private key");
            }
            Certificate[] chain = store.getCertificateChain(chosen);
            if (chain == null || chain.length == 0) {
                throw new IllegalArgumentException(what + " " + file + ": entry '" + chosen
                        + "' has no certificate chain");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
                certificates.add((X509Certificate) certificate);
            }
            return LoadedKey.checked(privateKey, certificates, what + " " + file + " entry '" + chosen + "'");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot read its key (" + e.getMessage() + ")",
                    e);
        }
    }

    /** The trusted certificate entries of {@code file}. */
    static List<X509Certificate> trustedCertificates(Path file, char[] password) {
        String what = "PKCS#12 trust store";
        KeyStore store = open(file, password, what);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (String name : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(name) && store.getCertificate(name) instanceof X509Certificate ca) {
                    certificates.add(ca);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot list its entries (" + e.getMessage()
                    + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(what + " " + file + " holds no trusted certificate entry");
        }
        return certificates;
    }

    private static KeyStore open(Path file, char[] password, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw PemFiles.unreadable(what, file, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open " + what + " " + file + ": wrong password, or not a "
                    + "PKCS#12 file (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open " + what + " " + file + " (" + e.getMessage() + ")", e);
        }
    }
}
