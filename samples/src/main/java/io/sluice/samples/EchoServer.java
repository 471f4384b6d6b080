package io.sluice.samples;

import io.sluice.api.Connection;
import io.sluice.reactor.Server;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Echoes every byte back to its sender.
 *
 * <pre>
 * mvn -pl samples exec:java@echo -Dexec.args="--port 9000"
 * </pre>
 *
 * The inbound stream is the outbound stream. Each buffer the connection reads is handed to {@code send}, which
 * takes ownership and releases it once written, so nothing here allocates or releases.
 */
public final class EchoServer {

    /** How long Ctrl-C lets open connections finish before closing them. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private EchoServer() {
    }

    public static Options options() {
        return new Options("echo", "A TCP echo server built with Sluice.")
                .option("host", "ADDRESS", "127.0.0.1", "address to listen on")
                .option("port", "PORT", "9000", "port to listen on (0 picks a free one)")
                .option("max-connections", "N", "10000", "connections open at once; more are refused")
                .option("idle-timeout", "SECONDS", "0", "close connections idle this long (0: never)")
                .option("threads", "N", String.valueOf(Runtime.getRuntime().availableProcessors()),
                        "event-loop threads");
    }

    /** Binds an echo server as {@code options} say; the server accepts once the returned Mono emits. */
    public static Mono<Server> bind(Options options) {
        return Server.tcp()
                .host(options.string("host"))
                .port(options.integer("port"))
                .maxConnections(options.integer("max-connections"))
                .idleTimeout(options.seconds("idle-timeout"))
                .eventLoopThreads(options.integer("threads"))
                .handler(EchoServer::echo)
                .bind();
    }

    /**
     * The echo itself: every buffer read is written back. {@code send} takes ownership of each buffer and releases
     * it once written; while the peer reads slowly, unwritten echoes fill the connection's budget and reading stops.
     */
    static Mono<Void> echo(Connection connection) {
        return connection.send(connection.receive());
    }

    public static void main(String[] args) {
        Options options = options().parseOrExit(args);
        Server server = bind(options).block(Duration.ofSeconds(30));
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> server.shutdown(GRACE).block(), "echo-shutdown"));
        System.out.println("listening on " + server.host() + ":" + server.port());
        server.onShutdown().block();
    }
}
