package io.sluice.benchmarks;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.sluice.filters.tls.DevelopmentCertificate;
import io.sluice.filters.tls.HandshakeRandom;
import io.sluice.filters.tls.KeyMaterial;
import io.sluice.api.Filter;
import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsContext;
import io.sluice.filters.tls.TlsDriverSettings;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.filters.tls.TlsProvider;
import io.sluice.samples.ClientTls;
import io.sluice.samples.Options;
import io.sluice.samples.TlsFlags;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import reactor.core.scheduler.Schedulers;

/**
 * The TLS side of the TLS comparison: one provider and one certificate (PEM files), set up the same way for Sluice's
 * filter and for Reactor Netty's {@code SslHandler}: TLS 1.3 only, Sluice's default cipher suites in Sluice's order,
 * the certificate and key read from the same files.
 *
 * <p>Provider by provider, Reactor Netty gets the closest thing Netty has: {@link SslProvider#JDK} for the JDK,
 * {@link SslProvider#OPENSSL} (BoringSSL from netty-tcnative, as Sluice's) for OpenSSL, and for Bouncy Castle
 * {@link SslProvider#JDK} over a Bouncy Castle JSSE provider made the way {@link TlsProvider#BOUNCY_CASTLE} makes its
 * own: cryptography from the JDK's JCA providers ({@code JcaTlsCryptoProvider}'s default; Sluice only adds RSA-PSS
 * names for RSA keys, and this key is EC), Bouncy Castle's own PKIX key manager (Netty's PEM key manager makes every
 * Bouncy Castle handshake fail), and a DRBG seeded once ({@link HandshakeRandom}, the one Sluice's contexts use).
 * The JSSE contexts of both servers thus draw the same kind of randomness.
 */
record BenchTls(TlsProvider provider, Path certificate, Path key, Variants variants) {

    /**
     * Diagnostic departures from what a user of either library writes, to tell where a difference comes from.
     *
     * @param sluiceInlineTasks Sluice runs the engine's delegated tasks on the event loop, as Netty's
     *     {@code SslHandler} does by default, instead of on Reactor's bounded-elastic threads
     */
    record Variants(boolean sluiceInlineTasks) {
        static final Variants NONE = new Variants(false);

        List<String> args() {
            List<String> args = new java.util.ArrayList<>();
            if (sluiceInlineTasks) {
                args.add("--sluice-inline-tasks");
            }
            return args;
        }

        static Variants of(Options o) {
            return new Variants(o.flagSet("sluice-inline-tasks"));
        }

        @Override
        public String toString() {
            return args().isEmpty() ? "none" : String.join(" ", args());
        }
    }

    /** Sluice's server side: the filter, and what to close once the server has shut down. */
    record SluiceServerTls(Filter filter, AutoCloseable resources) {
    }

    /** Both servers speak TLS 1.3 only, so that every handshake and record is the same protocol. */
    static final String PROTOCOL = "TLSv1.3";
    private static final char[] IN_MEMORY_PASSWORD = "bench".toCharArray();

    /** Writes this JVM's development certificate and key into {@code dir} (once per run, shared by all servers). */
    static void writeDevelopmentCertificate(Path dir) {
        DevelopmentCertificate.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    }

    /** The TLS side for {@code provider} over the files {@link #writeDevelopmentCertificate} wrote into {@code dir}. */
    static BenchTls of(TlsProvider provider, Path dir, Variants variants) {
        return new BenchTls(provider, dir.resolve("cert.pem"), dir.resolve("key.pem"), variants);
    }

    /** {@code BenchServer}'s options for this side. */
    List<String> serverArgs() {
        List<String> args = new java.util.ArrayList<>(List.of("--tls", TlsFlags.name(provider), "--cert",
                certificate.toString(), "--key", key.toString()));
        args.addAll(variants.args());
        return args;
    }

    /** This side as {@code BenchServer}'s options give it; null without {@code --tls}. */
    static BenchTls fromArgs(Options o) {
        if (!o.has("tls")) {
            return null;
        }
        return new BenchTls(TlsFlags.provider(o.string("tls")), Path.of(o.string("cert")), Path.of(o.string("key")),
                Variants.of(o));
    }

    /** What the load generator and the idle client trust: exactly this certificate. */
    ClientTls client() {
        return ClientTls.trusting(provider, certificate);
    }

    /** Sluice's server options: these files, TLS 1.3, the default cipher suites. */
    TlsOptions sluiceOptions() {
        return TlsOptions.server().provider(provider).keyMaterial(KeyMaterial.pem(certificate, key))
                .protocols(PROTOCOL).build();
    }

    /** Sluice's server filter as a user makes it, or with {@link Variants#sluiceInlineTasks()}. */
    SluiceServerTls sluiceServer() {
        if (!variants.sluiceInlineTasks()) {
            TlsFilter filter = Tls.server(sluiceOptions());
            return new SluiceServerTls(filter, filter);
        }
        TlsContext context = TlsContext.create(sluiceOptions());
        TlsOptions options = context.options();
        return new SluiceServerTls(Tls.over(context, TlsDriverSettings.defaults()
                .withHandshakeTimeout(options.handshakeTimeout())
                .withCloseNotifyTimeout(options.closeNotifyTimeout())
                .withDelegatedTaskScheduler(Schedulers.immediate())), context);
    }

    /** Reactor Netty's server context for the same provider, protocol, cipher suites and files. */
    SslContext reactorNettyContext() throws IOException, GeneralSecurityException {
        SslContextBuilder builder = switch (provider) {
            case JDK -> SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                    .sslProvider(SslProvider.JDK)
                    .secureRandom(HandshakeRandom.create());
            case OPENSSL -> SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                    .sslProvider(SslProvider.OPENSSL);
            case BOUNCY_CASTLE -> {
                BouncyCastleJsseProvider jsse = new BouncyCastleJsseProvider(false, new JcaTlsCryptoProvider());
                yield SslContextBuilder.forServer(pkixKeyManager(jsse))
                        .sslProvider(SslProvider.JDK)
                        .sslContextProvider(jsse)
                        .secureRandom(HandshakeRandom.create());
            }
        };
        return builder.protocols(PROTOCOL)
                .ciphers(sluiceOptions().cipherSuites(), SupportedCipherSuiteFilter.INSTANCE)
                .build();
    }

    /** Bouncy Castle's {@code PKIX} key manager over the files. */
    private KeyManagerFactory pkixKeyManager(Provider jsse) throws IOException, GeneralSecurityException {
        PrivateKey privateKey;
        try (Reader in = Files.newBufferedReader(key); PEMParser pem = new PEMParser(in)) {
            privateKey = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) pem.readObject());
        }
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certificate)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", privateKey, IN_MEMORY_PASSWORD, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX", jsse);
        factory.init(store, IN_MEMORY_PASSWORD);
        return factory;
    }
}
