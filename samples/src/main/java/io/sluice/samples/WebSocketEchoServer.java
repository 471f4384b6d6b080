package io.sluice.samples;

import io.sluice.reactor.Server;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketServer;
import io.sluice.websocket.WebSocketSession;
import io.sluice.websocket.WebSocketSettings;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A WebSocket echo server: every text and binary message comes back as it was received, permessage-deflate
 * included, on any path.
 *
 * <pre>
 * mvn -pl samples exec:java@websocket-echo -Dexec.args="9001"
 * mvn -pl samples exec:java@websocket-echo -Dexec.args="--port 9001 --max-message-size 67108864"
 * </pre>
 *
 * Messages are echoed fragment by fragment as their bytes arrive ({@code receiveFragments()}), so a 16 MiB message
 * never sits whole in memory: the connection's budget bounds what the server holds, and a peer that stops reading
 * stops its own echo. The session answers pings, validates UTF-8 as it goes, and closes with the RFC's codes on bad
 * input; permessage-deflate offers are accepted with every parameter (a {@code server_max_window_bits} below 15 is
 * kept by compressing with Huffman coding alone).
 */
public final class WebSocketEchoServer {

    /** How long Ctrl-C lets open sessions finish their closing handshakes before closing them. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private WebSocketEchoServer() {
    }

    public static Options options() {
        return new Options("websocket-echo", "A WebSocket echo server built with Sluice (permessage-deflate on).")
                .option("host", "ADDRESS", "127.0.0.1", "address to listen on")
                .option("port", "PORT", "9001", "port to listen on (0 picks a free one); may also be given bare")
                .positional("port")
                .option("max-message-size", "BYTES", String.valueOf(64 << 20),
                        "largest message accepted, counted decompressed (1009 beyond)")
                .option("max-frame-size", "BYTES", String.valueOf(64 << 20), "largest frame accepted (1009 beyond)")
                .option("compression-threshold", "BYTES", "0", "messages shorter than this are echoed uncompressed")
                .flag("no-deflate", "decline permessage-deflate")
                .flag("hixie76", "also accept the legacy Hixie-76 handshake")
                .option("max-connections", "N", "10000", "connections open at once; more are refused")
                .option("threads", "N", String.valueOf(Runtime.getRuntime().availableProcessors()),
                        "event-loop threads");
    }

    /** Binds the server as {@code options} say; it accepts once the returned Mono emits. */
    public static Mono<Server> bind(Options options) {
        WebSocketSettings settings = WebSocketSettings.builder()
                .maxMessageSize(options.longValue("max-message-size"))
                .maxFrameSize(options.integer("max-frame-size"))
                .compressionThreshold(options.integer("compression-threshold"))
                .build();
        WebSocketServer.Builder endpoint = WebSocket.server()
                .settings(settings)
                .hixie76(options.flagSet("hixie76"));
        if (!options.flagSet("no-deflate")) {
            endpoint.permessageDeflate();
        }
        return Server.tcp()
                .host(options.string("host"))
                .port(options.integer("port"))
                .maxConnections(options.integer("max-connections"))
                .eventLoopThreads(options.integer("threads"))
                .handler(endpoint.build(WebSocketEchoServer::echo))
                .bind();
    }

    /**
     * The echo: each fragment received is sent back as it comes (a small message arrives as one, a large one as
     * several, as its bytes arrive), so the peer gets every message back whole and in order. {@code send} takes
     * ownership of every message {@code receiveFragments()}
     * emits, and releases it once written. When the peer closes, the messages end, the send completes, and the
     * session has already answered the peer's close frame.
     */
    static Mono<Void> echo(WebSocketSession session) {
        return session.send(session.receiveFragments());
    }

    public static void main(String[] args) {
        Options options = options().parseOrExit(args);
        Server server = bind(options).block(Duration.ofSeconds(30));
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> server.shutdown(GRACE).block(), "websocket-echo-shutdown"));
        System.out.println("listening on " + server.host() + ":" + server.port());
        server.onShutdown().block();
    }
}
