package io.sluice.samples;

import io.sluice.filters.tls.KeyMaterial;
import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.reactor.Server;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * An echo server that speaks TLS: every byte a client sends is decrypted, handed back and encrypted again.
 *
 * <pre>
 * mvn -pl samples exec:java@tls-echo -Dexec.args="--port 9443 --provider openssl --cert chain.pem --key key.pem"
 * openssl s_client -connect 127.0.0.1:9443 -quiet          # type a line, get it back
 * mvn -pl samples exec:java@loadgen -Dexec.args="--port 9443 --tls jdk --trust-all --size 16384"
 * </pre>
 *
 * The handler is the plain echo's: the {@link Tls} filter sits below it, so {@code receive()} emits decrypted
 * buffers and {@code send} encrypts. Without {@code --cert} and {@code --key}, the server runs on a self-signed
 * development certificate generated at startup, and logs a loud warning saying so. When the handler ends, the
 * runtime closes the connection through the filter, which sends TLS's {@code close_notify} first.
 */
public final class TlsEchoServer {

    /** How long Ctrl-C lets open connections finish (and say close_notify) before closing them. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private TlsEchoServer() {
    }

    public static Options options() {
        return new Options("tls-echo", "A TLS echo server built with Sluice.")
                .option("host", "ADDRESS", "127.0.0.1", "address to listen on")
                .option("port", "PORT", "9443", "port to listen on (0 picks a free one)")
                .option("provider", "NAME", "jdk", "TLS implementation: " + TlsFlags.PROVIDERS)
                .option("cert", "FILE", null, "PEM certificate chain, leaf first (with --key; without both, a "
                        + "self-signed development certificate is generated)")
                .option("key", "FILE", null, "PEM private key of --cert (PKCS#8, or OpenSSL's RSA/EC form)")
                .option("max-connections", "N", "10000", "connections open at once; more are refused")
                .option("threads", "N", String.valueOf(Runtime.getRuntime().availableProcessors()),
                        "event-loop threads");
    }

    /**
     * The TLS side {@code options} describe. Reads the certificate and key files (blocking); throws
     * {@link IllegalArgumentException} naming the option or file at fault, or {@link IllegalStateException} when
     * {@code openssl} is chosen and its native library is missing.
     */
    public static TlsOptions tlsOptions(Options options) {
        if (options.has("cert") != options.has("key")) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        TlsOptions.Builder tls = TlsOptions.server().provider(TlsFlags.provider(options.string("provider")));
        if (options.has("cert")) {
            tls.keyMaterial(KeyMaterial.pem(Path.of(options.string("cert")), Path.of(options.string("key"))));
        }
        return tls.build();
    }

    /** Binds the server as {@code options} say (reading the key files first); it accepts once the Mono emits. */
    public static Mono<Server> bind(Options options) {
        return bind(options, tlsOptions(options));
    }

    private static Mono<Server> bind(Options options, TlsOptions tlsOptions) {
        return Mono.defer(() -> {
            TlsFilter tls = Tls.server(tlsOptions);
            return Server.tcp()
                    .host(options.string("host"))
                    .port(options.integer("port"))
                    .maxConnections(options.integer("max-connections"))
                    .eventLoopThreads(options.integer("threads"))
                    .filter(tls)
                    .handler(c -> c.send(c.receive()))
                    .bind()
                    // The filter owns the provider's context (native memory with openssl): freed once nothing
                    // can apply it any more.
                    .doOnNext(server -> server.onShutdown().doFinally(signal -> tls.close()).subscribe())
                    .doOnError(error -> tls.close());
        });
    }

    public static void main(String[] args) {
        Options options = options().parseOrExit(args);
        TlsOptions tls = null;
        try {
            tls = tlsOptions(options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("tls-echo: " + e.getMessage());
            System.exit(2);
        }
        Server server = bind(options, tls).block(Duration.ofSeconds(30));
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> server.shutdown(GRACE).block(), "tls-echo-shutdown"));
        System.out.println(tls);
        System.out.println("listening on " + server.host() + ":" + server.port());
        server.onShutdown().block();
    }
}
