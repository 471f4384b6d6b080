package io.sluice.filters.tls;

import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;

/**
 * How a TLS server or client is set up: provider, key and trust material, SNI, ALPN, client authentication,
 * hostname verification, protocols and cipher suites, certificate reloading and the driver's timeouts. Immutable;
 * made by {@link #server()} or {@link #client()} and {@link Builder#build()}.
 *
 * <pre>{@code
 * TlsOptions server = TlsOptions.server()
 *         .keyMaterial(KeyMaterial.pem(Path.of("server.pem"), Path.of("server-key.pem")))
 *         .sni("api.example", KeyMaterial.pem(Path.of("api.pem"), Path.of("api-key.pem")))
 *         .applicationProtocols("h2", "http/1.1")
 *         .reloadInterval(Duration.ofMinutes(1))
 *         .build();
 * TlsOptions client = TlsOptions.client()
 *         .trust(TrustMaterial.pem(Path.of("ca.pem")))
 *         .serverName("api.example")
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} checks every value and reads every file once, on the calling thread (never an event
 * loop): a missing or unreadable file, a key that does not match its certificate or an unknown protocol fails there
 * with a message naming the option and the file. With {@link TlsProvider#OPENSSL} it also fails when the native
 * library is missing, naming the artifact. A {@link TlsContext} made from these options starts from what
 * {@code build()} read. No buffers cross this class.
 */
public final class TlsOptions {

    /** Whether the options describe the accepting or the connecting side of a connection. */
    public enum Role { SERVER, CLIENT }

    private final Role role;
    private final TlsProvider provider;
    private final KeyMaterial keyMaterial;
    private final Map<String, KeyMaterial> sni;
    private final TrustMaterial trust;
    private final ClientAuth clientAuth;
    private final boolean hostnameVerification;
    private final String serverName;
    private final List<String> applicationProtocols;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final boolean defaultCipherSuites;
    private final Duration reloadInterval;
    private final Duration handshakeTimeout;
    private final Duration closeNotifyTimeout;
    private final Provider bouncyCastleCryptoProvider;
    private final MaterialSnapshot initialMaterial;

    private TlsOptions(Builder b) {
        this.role = b.role;
        this.provider = b.provider;
        this.keyMaterial = b.keyMaterial;
        this.sni = Collections.unmodifiableMap(new LinkedHashMap<>(b.sni));
        this.trust = b.trust;
        this.clientAuth = b.clientAuth;
        this.hostnameVerification = b.hostnameVerification;
        this.serverName = b.serverName;
        this.applicationProtocols = List.copyOf(b.applicationProtocols);
        this.protocols = List.copyOf(b.protocols);
        this.defaultCipherSuites = b.cipherSuites == null;
        this.cipherSuites = defaultCipherSuites ? CipherSuites.DEFAULT : List.copyOf(b.cipherSuites);
        this.reloadInterval = b.reloadInterval;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeNotifyTimeout = b.closeNotifyTimeout;
        this.bouncyCastleCryptoProvider = b.bouncyCastleCryptoProvider;
        this.initialMaterial = MaterialSnapshot.load(this);
    }

    /** Options for the server side (accepts connections, presents a certificate). */
    public static Builder server() {
        return new Builder(Role.SERVER);
    }

    /** Options for the client side (connects, verifies the server's certificate). */
    public static Builder client() {
        return new Builder(Role.CLIENT);
    }

    public Role role() {
        return role;
    }

    public TlsProvider provider() {
        return provider;
    }

    /** The server's default key and certificate, or the client's certificate for mutual TLS. */
    public Optional<KeyMaterial> keyMaterial() {
        return Optional.ofNullable(keyMaterial);
    }

    /** A server's key material per SNI server name (lower case; {@code *.domain} for a wildcard). */
    public Map<String, KeyMaterial> sniKeyMaterial() {
        return sni;
    }

    /** The trusted CAs: empty means the system's for a client, and no client certificates for a server. */
    public Optional<TrustMaterial> trust() {
        return Optional.ofNullable(trust);
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Whether a client checks that the server's certificate names the host it connects to (HTTPS rules). */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** The host name a client sends in SNI and verifies; empty means the connection's remote host. */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** ALPN protocols: the client's offer, or the server's choices in order of preference. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    public List<String> protocols() {
        return protocols;
    }

    /** The configured cipher suites, or the default list (narrowed to what the provider supports). */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    boolean defaultCipherSuites() {
        return defaultCipherSuites;
    }

    /** How often a {@link TlsContext} looks for changed certificate files; {@link Duration#ZERO} never. */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** How long the driver lets a handshake take before it closes the connection. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long the driver waits for the peer's close_notify after sending its own. */
    public Duration closeNotifyTimeout() {
        return closeNotifyTimeout;
    }

    /** The JCA provider Bouncy Castle's JSSE takes its cryptography from; empty means the JDK's providers. */
    public Optional<Provider> bouncyCastleCryptoProvider() {
        return Optional.ofNullable(bouncyCastleCryptoProvider);
    }

    /** Every file the material is read from, for change detection. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        keyMaterial().ifPresent(material -> files.addAll(material.files()));
        sni.values().forEach(material -> files.addAll(material.files()));
        trust().ifPresent(material -> files.addAll(material.files()));
        return files;
    }

    /** What {@link Builder#build()} read. */
    MaterialSnapshot initialMaterial() {
        return initialMaterial;
    }

    @Override
    public String toString() {
        return "TLS " + role.name().toLowerCase(Locale.ROOT) + " on " + provider + ", " + protocols
                + (keyMaterial != null ? ", key " + keyMaterial : "") + (sni.isEmpty() ? "" : ", SNI " + sni.keySet())
                + (applicationProtocols.isEmpty() ? "" : ", ALPN " + applicationProtocols);
    }

    /** Builds {@link TlsOptions}; every setter replaces the previous value. */
    public static final class Builder {
        private final Role role;
        private TlsProvider provider = TlsProvider.JDK;
        private KeyMaterial keyMaterial;
        private final Map<String, KeyMaterial> sni = new LinkedHashMap<>();
        private TrustMaterial trust;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private boolean hostnameVerification = true;
        private String serverName;
        private List<String> applicationProtocols = List.of();
        private List<String> protocols = CipherSuites.PROTOCOLS;
        private List<String> cipherSuites;
        private Duration reloadInterval = Duration.ZERO;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeNotifyTimeout = Duration.ofSeconds(3);
        private Provider bouncyCastleCryptoProvider;

        private Builder(Role role) {
            this.role = role;
        }

        /** The TLS implementation; {@link TlsProvider#JDK} by default. */
        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * The server's certificate for clients that send no or an unknown SNI name (without it, a development
         * certificate is generated and a warning logged), or the client's certificate for mutual TLS.
         */
        public Builder keyMaterial(KeyMaterial material) {
            this.keyMaterial = Objects.requireNonNull(material, "material");
            return this;
        }

        /**
         * Server only: present {@code material} to clients that ask for {@code serverName} through SNI. A name
         * {@code *.example} matches any single label before {@code .example} when no exact name matches.
         */
        public Builder sni(String serverName, KeyMaterial material) {
            Objects.requireNonNull(serverName, "serverName");
            Objects.requireNonNull(material, "material");
            sni.put(checkHostName("sni", serverName, true), material);
            return this;
        }

        /**
         * The CAs to trust: for a client, to verify the server (the system's by default); for a server, to verify
         * client certificates (needed with {@link ClientAuth#OPTIONAL} and {@link ClientAuth#REQUIRE}).
         */
        public Builder trust(TrustMaterial material) {
            this.trust = Objects.requireNonNull(material, "material");
            return this;
        }

        /** Server only: whether to ask clients for a certificate; {@link ClientAuth#NONE} by default. */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /**
         * Client only: whether the server's certificate must name the host connected to (HTTPS endpoint
         * identification: DNS names and IP addresses in the subject alternative names). On by default; turning it
         * off lets any certificate from a trusted CA impersonate any server.
         */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /**
         * Client only: the host name sent in SNI and checked against the server's certificate. Without it, the host
         * string of the connection's remote address is used (an IP address is verified but not sent in SNI).
         */
        public Builder serverName(String hostName) {
            this.serverName = checkHostName("serverName", Objects.requireNonNull(hostName, "hostName"), false);
            return this;
        }

        /**
         * ALPN protocol names (for example {@code h2}, {@code http/1.1}). A client offers them in this order; a
         * server picks the first of its list that the client offered, and negotiates no protocol when the client
         * offered none of them (the connection goes on; the application sees no protocol).
         */
        public Builder applicationProtocols(String... names) {
            List<String> list = List.of(names);
            for (String name : list) {
                int length = name.getBytes(StandardCharsets.UTF_8).length;
                if (length == 0 || length > 255) {
                    throw new IllegalArgumentException("TLS option applicationProtocols: '" + name
                            + "' must be 1 to 255 bytes long");
                }
            }
            this.applicationProtocols = list;
            return this;
        }

        /** The protocol versions to enable, from {@code TLSv1.3} and {@code TLSv1.2} (both by default). */
        public Builder protocols(String... names) {
            List<String> list = List.of(names);
            CipherSuites.checkProtocols(list);
            this.protocols = list;
            return this;
        }

        /**
         * The cipher suites to enable, by their standard (JSSE) names, in order of preference; each must be
         * supported by the provider. By default: TLS 1.3's suites, and for TLS 1.2 ECDHE with AES-GCM or
         * ChaCha20-Poly1305 only.
         */
        public Builder cipherSuites(String... names) {
            List<String> list = List.of(names);
            if (list.isEmpty()) {
                throw new IllegalArgumentException("TLS option cipherSuites: at least one suite is needed");
            }
            this.cipherSuites = list;
            return this;
        }

        /**
         * How often to look for changed certificate, key and trust files and, when they changed, read them again
         * (on a background thread, never an event loop): new handshakes use the new material, established
         * connections keep theirs. {@link Duration#ZERO}, the default, never looks; {@link TlsContext#reload()}
         * reloads on demand either way.
         */
        public Builder reloadInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("TLS option reloadInterval must not be negative, got " + interval);
            }
            this.reloadInterval = interval;
            return this;
        }

        /** How long a handshake may take before the driver closes the connection; 10 s by default. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /** How long the driver waits for the peer's close_notify after sending its own; 3 s by default. */
        public Builder closeNotifyTimeout(Duration timeout) {
            this.closeNotifyTimeout = positive("closeNotifyTimeout", timeout);
            return this;
        }

        /**
         * For {@link TlsProvider#BOUNCY_CASTLE}: the JCA provider its JSSE takes all cryptography from, instead of
         * the JDK's providers (the default, and the fast choice). For example Bouncy Castle's own
         * {@code BouncyCastleProvider} (about six times slower in bulk transfer, measured here) or a FIPS provider.
         * The provider is used directly, never registered with {@code Security.addProvider}.
         */
        public Builder bouncyCastleCryptoProvider(Provider crypto) {
            this.bouncyCastleCryptoProvider = Objects.requireNonNull(crypto, "crypto");
            return this;
        }

        /**
         * Checks the options and reads the key and trust material (blocking file I/O: call it at startup, not on an
         * event loop).
         *
         * @throws IllegalArgumentException naming the option (and file) at fault
         * @throws IllegalStateException if {@link TlsProvider#OPENSSL} is chosen and its native library is missing
         */
        public TlsOptions build() {
            if (role == Role.CLIENT) {
                refuse(!sni.isEmpty(), "sni is for servers; a client names its server with serverName(...)");
                refuse(clientAuth != ClientAuth.NONE, "clientAuth is for servers; a client presents a certificate "
                        + "when keyMaterial(...) is set");
            } else {
                refuse(serverName != null, "serverName is for clients; a server chooses by SNI with sni(...)");
                refuse(!hostnameVerification, "hostnameVerification is for clients");
                refuse(clientAuth != ClientAuth.NONE && trust == null, "clientAuth(" + clientAuth + ") needs "
                        + "trust(...): the CAs that issue client certificates");
            }
            refuse(bouncyCastleCryptoProvider != null && provider != TlsProvider.BOUNCY_CASTLE,
                    "bouncyCastleCryptoProvider applies to provider BOUNCY_CASTLE only, not " + provider);
            if (provider == TlsProvider.OPENSSL) {
                OpenSslSupport.require();
            }
            return new TlsOptions(this);
        }

        private static void refuse(boolean condition, String message) {
            if (condition) {
                throw new IllegalArgumentException("TLS option " + message);
            }
        }

        private static Duration positive(String option, Duration timeout) {
            Objects.requireNonNull(timeout, option);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("TLS option " + option + " must be positive, got " + timeout);
            }
            return timeout;
        }

        /** A host name in lower case; an IP literal only where allowed (never in SNI entries). */
        private static String checkHostName(String option, String name, boolean wildcard) {
            if (!wildcard && (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name))) {
                return name;
            }
            String host = wildcard && name.startsWith("*.") ? name.substring(2) : name;
            try {
                new SNIHostName(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TLS option " + option + ": '" + name + "' is not a valid host "
                        + "name (" + e.getMessage() + ")", e);
            }
            return name.toLowerCase(Locale.ROOT);
        }
    }
}
