package io.sluice.samples;

import io.sluice.filters.compression.Compression;
import io.sluice.filters.compression.CompressionOptions;
import io.sluice.reactor.Server;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * An echo server that speaks a compressed stream: it decompresses what it reads and sends it back compressed with
 * the same codec. When the client shuts its output, the echo ends, the server finishes its compressed stream and
 * closes, so a command-line compressor and netcat make a complete client:
 *
 * <pre>
 * mvn -pl samples exec:java@compressed-echo -Dexec.args="--port 9002 --codec gzip"
 * gzip -c FILE | nc -N 127.0.0.1 9002 | gzip -d      # prints FILE
 * </pre>
 *
 * The handler is the plain echo's: the {@link Compression} filter sits below it, so {@code receive()} emits
 * decompressed buffers and {@code send} compresses. Nothing here writes the end of the stream: when the handler
 * completes, the runtime closes the topmost connection, and closing a compressed connection writes the stream's end
 * before closing the socket.
 */
public final class CompressedEchoServer {

    /** How long Ctrl-C lets open connections finish (and end their compressed streams) before closing them. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private CompressedEchoServer() {
    }

    public static Options options() {
        return new Options("compressed-echo", "A TCP echo server over a compressed stream, built with Sluice.")
                .option("host", "ADDRESS", "127.0.0.1", "address to listen on")
                .option("port", "PORT", "9002", "port to listen on (0 picks a free one)")
                .option("codec", "NAME", "gzip", "gzip, deflate (zlib), deflate-raw, brotli or zstd")
                .option("level", "N", null, CompressionFlags.LEVEL_HELP)
                .option("max-connections", "N", "10000", "connections open at once; more are refused")
                .option("threads", "N", String.valueOf(Runtime.getRuntime().availableProcessors()),
                        "event-loop threads");
    }

    /** Binds the server as {@code options} say; it accepts once the returned Mono emits. */
    public static Mono<Server> bind(Options options) {
        return bind(options, CompressionFlags.read(options));
    }

    private static Mono<Server> bind(Options options, CompressionOptions compression) {
        return Server.tcp()
                .host(options.string("host"))
                .port(options.integer("port"))
                .maxConnections(options.integer("max-connections"))
                .eventLoopThreads(options.integer("threads"))
                .filter(Compression.of(compression))
                .handler(c -> c.send(c.receive()))
                .bind();
    }

    public static void main(String[] args) {
        Options options = options().parseOrExit(args);
        CompressionOptions compression = null;
        try {
            compression = CompressionFlags.read(options);
        } catch (IllegalArgumentException e) {
            System.err.println("compressed-echo: " + e.getMessage());
            System.exit(2);
        }
        Server server = bind(options, compression).block(Duration.ofSeconds(30));
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> server.shutdown(GRACE).block(), "compressed-echo-shutdown"));
        System.out.println("compressing with " + compression);
        System.out.println("listening on " + server.host() + ":" + server.port());
        server.onShutdown().block();
    }
}
