package io.sluice.samples;

import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.filters.tls.TlsProvider;
import io.sluice.filters.tls.TrustMaterial;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the load generator's connections speak TLS: the provider, and which server certificates they accept.
 *
 * @param provider the client's TLS implementation
 * @param trust what the client trusts
 * @param caFile the CA certificates (PEM) to trust with {@link Trust#CA_FILE}; null otherwise
 */
public record ClientTls(TlsProvider provider, Trust trust, Path caFile) {

    /** Which server certificates the client accepts. */
    public enum Trust {
        /** The JDK's default trust store, with the host name checked: for servers with a public CA's certificate. */
        SYSTEM,
        /** The CAs in a PEM file, with the host name checked. */
        CA_FILE,
        /**
         * Whatever certificate the server presents: fine for a load generator against a server on a development
         * certificate, and for nothing else.
         */
        ANY
    }

    public ClientTls {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(trust, "trust");
        if ((trust == Trust.CA_FILE) != (caFile != null)) {
            throw new IllegalArgumentException("a CA file goes with Trust.CA_FILE and only with it");
        }
    }

    /** Trusting the CA certificates in {@code caFile} (PEM). */
    public static ClientTls trusting(TlsProvider provider, Path caFile) {
        return new ClientTls(provider, Trust.CA_FILE, Objects.requireNonNull(caFile, "caFile"));
    }

    /** Trusting any certificate the server presents. */
    public static ClientTls trustingAnyCertificate(TlsProvider provider) {
        return new ClientTls(provider, Trust.ANY, null);
    }

    /**
     * The client filter for connections to {@code host:port}; the caller closes it once its client is disposed.
     * With {@link Trust#ANY} this first asks the server for its certificate chain (one blocking handshake, see
     * {@link PresentedCertificates}) and trusts the chain's last certificate, without checking the host name: the
     * Sluice client then verifies every connection against exactly that certificate.
     */
    public TlsFilter filter(String host, int port) {
        return Tls.client(options(host, port).build());
    }

    /** The client options {@link #filter} builds from, to adjust before building (blocking with {@link Trust#ANY}). */
    public TlsOptions.Builder options(String host, int port) {
        TlsOptions.Builder options = TlsOptions.client().provider(provider);
        switch (trust) {
            case SYSTEM -> options.trust(TrustMaterial.system());
            case CA_FILE -> options.trust(TrustMaterial.pem(caFile));
            case ANY -> options.trust(TrustMaterial.of(PresentedCertificates.top(host, port)))
                    .hostnameVerification(false);
        }
        return options;
    }

    @Override
    public String toString() {
        return "TLS on " + TlsFlags.name(provider) + ", trusting " + switch (trust) {
            case SYSTEM -> "the system's CAs";
            case CA_FILE -> "the CAs in " + caFile;
            case ANY -> "any server certificate";
        };
    }
}
