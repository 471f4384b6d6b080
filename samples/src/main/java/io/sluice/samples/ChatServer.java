package io.sluice.samples;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.filters.tls.KeyMaterial;
import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.reactor.Server;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketSettings;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A chat room in the browser: the page at {@code /} and its WebSocket at {@code /chat} share one port, so they
 * share one origin. Every message a member sends is broadcast to every member; see {@link ChatRoom} for what
 * happens to members too slow to keep up.
 *
 * <pre>
 * mvn -pl samples exec:java@chat -Dexec.args="--port 9003"
 * # then open http://127.0.0.1:9003/?name=alice in two browser tabs
 * mvn -pl samples exec:java@chat -Dexec.args="--port 9443 --tls --cert chain.pem --key key.pem"
 * # https://HOST:9443/ and wss://HOST:9443/chat
 * </pre>
 */
public final class ChatServer {

    /** How long Ctrl-C lets members finish their closing handshakes (1001, going away). */
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final byte[] PAGE = ChatPage.load().html("");

    private ChatServer() {
    }

    public static Options options() {
        return new Options("chat", "A broadcast chat room with its page, built with Sluice.")
                .option("host", "ADDRESS", "127.0.0.1", "address to listen on")
                .option("port", "PORT", "9003", "port to listen on (0 picks a free one)")
                .option("queue", "MESSAGES", "256",
                        "messages queued for a member before it is disconnected as too slow (1008)")
                .option("max-message-size", "BYTES", "4096", "largest message a member may send (1009 beyond)")
                .option("ping-interval", "SECONDS", "30", "keep-alive pings; a member silent 10 s after one is dropped")
                .flag("tls", "serve https and wss (with --cert and --key, or a self-signed development certificate)")
                .option("cert", "FILE", null, "PEM certificate chain for --tls")
                .option("key", "FILE", null, "PEM private key (PKCS#8) for --tls")
                .option("max-connections", "N", "10000", "connections open at once; more are refused")
                .option("threads", "N", String.valueOf(Runtime.getRuntime().availableProcessors()),
                        "event-loop threads");
    }

    /** Binds the chat server as {@code options} say, for {@code room}; it accepts once the returned Mono emits. */
    public static Mono<Server> bind(Options options, ChatRoom room) {
        WebSocketSettings settings = WebSocketSettings.builder()
                .maxMessageSize(options.integer("max-message-size"))
                .maxFrameSize(options.integer("max-message-size"))
                .pingInterval(options.seconds("ping-interval"))
                .build();
        TlsFilter tls = options.flagSet("tls") ? Tls.server(tlsOptions(options)) : null;
        Server.Builder tcp = Server.tcp();
        if (tls != null) {
            tcp.filter(tls);
        }
        return tcp
                .host(options.string("host"))
                .port(options.integer("port"))
                .maxConnections(options.integer("max-connections"))
                .eventLoopThreads(options.integer("threads"))
                .handler(WebSocket.server()
                        .paths("/chat")
                        .permessageDeflate()
                        .plainHttp(ChatServer::page)
                        .settings(settings)
                        .build(room::join))
                .bind()
                .doOnNext(server -> {
                    if (tls != null) {
                        server.onShutdown().doFinally(signal -> tls.close()).subscribe();
                    }
                })
                .doOnError(e -> {
                    if (tls != null) {
                        tls.close();
                    }
                });
    }

    /** The key material of {@code --cert} and {@code --key}; without them the TLS filter's development certificate. */
    private static TlsOptions tlsOptions(Options options) {
        TlsOptions.Builder tls = TlsOptions.server();
        if (options.has("cert") || options.has("key")) {
            tls.keyMaterial(KeyMaterial.pem(Path.of(options.string("cert")), Path.of(options.string("key"))));
        }
        return tls.build();
    }

    /** Binds with a new room sized by {@code --queue}. */
    public static Mono<Server> bind(Options options) {
        return bind(options, new ChatRoom(options.integer("queue")));
    }

    /**
     * The plain HTTP handler: the page for {@code GET /} (and {@code HEAD}); anything else is 404. The body is copied
     * into a buffer from the connection's budget, which the handshake writes and releases.
     */
    static Mono<HttpResponse> page(HttpRequestHead request, ByteBufAllocator allocator) {
        boolean get = request.method().equals("GET") || request.method().equals("HEAD");
        if (!get || !(request.path().equals("/") || request.path().equals("/index.html"))) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> HttpResponse.of(200,
                HttpHeaders.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-cache"),
                allocator.buffer(PAGE.length).writeBytes(PAGE)));
    }

    public static void main(String[] args) {
        Options options = options().parseOrExit(args);
        Server server = bind(options).block(Duration.ofSeconds(30));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(GRACE).block(), "chat-shutdown"));
        System.out.println("listening on " + server.host() + ":" + server.port());
        server.onShutdown().block();
    }
}
