package io.sluice.websocket;

import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.reactor.Client;
import io.sluice.websocket.frame.WebSocketProtocol;
import io.sluice.websocket.handshake.ClientDeflateOptions;
import io.sluice.websocket.handshake.ClientHandshake;
import io.sluice.websocket.handshake.HandshakeResult;
import io.sluice.websocket.http.HttpLimits;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebSocket client of one URI, over {@link Client#tcp()}: each {@link #connect()} opens a connection, runs the
 * opening handshake ({@link ClientHandshake}) and emits the session. A client owns its event loops;
 * {@link #dispose()} closes its sessions with 1001 (going away), waits for their closing handshakes (at most the
 * close timeout) and releases the loops.
 *
 * <pre>{@code
 * WebSocketClient client = WebSocket.client("ws://127.0.0.1:9001/chat")
 *         .subprotocols("chat.v1")
 *         .permessageDeflate()
 *         .build();
 * WebSocketSession session = client.connect().block();
 * session.send(Mono.fromSupplier(() -> WebSocketMessage.text(session.allocator(), "hello"))).block();
 * }</pre>
 *
 * <p>A {@code wss://} URI runs the connection through the TLS filter ({@link Tls#client}), which verifies the
 * server's certificate for the URI's host; {@link Builder#tls} adjusts its options (trust, for one).
 *
 * <p>Ownership: the session emitted belongs to the caller, who ends it ({@link WebSocketSession#close}) or leaves
 * it to {@link #dispose()}; messages follow {@link WebSocketSession}'s rules. A failed connect leaves no connection
 * and no buffer behind: it errors with a {@link io.sluice.websocket.handshake.HandshakeException} naming the rule
 * the server's answer broke, or with the connection's own error.
 *
 * <p>{@link Builder#build()} seeds the random source of handshake keys, which may read the system's entropy: build
 * clients at startup, off the event loops.
 */
public final class WebSocketClient {

    private static final CloseStatus GOING_AWAY = CloseStatus.of(WebSocketProtocol.CLOSE_GOING_AWAY,
            "client going away");

    private final URI uri;
    private final Client transport;
    private final TlsFilter tls;
    private final ClientHandshake handshake;
    private final WebSocketSettings settings;
    private final Set<WebSocketSession> open = ConcurrentHashMap.newKeySet();

    private WebSocketClient(Builder b) {
        this.uri = b.uri;
        this.settings = b.settings;
        this.handshake = b.handshake.build();
        Client.Builder tcp = Client.tcp().host(host(b.uri)).port(port(b.uri)).connectTimeout(b.connectTimeout);
        this.tls = isSecure(b.uri) ? Tls.client(tlsOptions(b)) : null;
        try {
            if (tls != null) {
                tcp.filter(tls); // directly on the socket, below any filter the customizer adds
            }
            b.transport.accept(tcp);
            this.transport = tcp.build();
        } catch (RuntimeException | Error e) {
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
    }

    /** The URI's host is the one TLS sends in SNI and verifies the certificate for; the customizer adds the rest. */
    private static TlsOptions tlsOptions(Builder b) {
        TlsOptions.Builder options = TlsOptions.client().serverName(host(b.uri));
        b.tls.accept(options);
        return options.build();
    }

    static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** The URI this client connects to. */
    public URI uri() {
        return uri;
    }

    /**
     * Connects and runs the opening handshake; emits the session once the server's 101 was checked. Lazy: each
     * subscription opens one connection. Cancelling it before the session is emitted closes the connection.
     */
    public Mono<WebSocketSession> connect() {
        return transport.connect()
                .flatMap(handshake::connect)
                .map(this::open);
    }

    private WebSocketSession open(HandshakeResult result) {
        WebSocketSession session;
        try {
            session = WebSocketSession.create(new HandshakeLayer(result), WebSocketRole.CLIENT, result.version(),
                    result.subprotocol(), result.deflate(), settings);
        } catch (RuntimeException e) {
            result.connection().close();
            throw e;
        }
        open.add(session);
        session.closeStatus().subscribe(null, null, () -> open.remove(session));
        return session;
    }

    /**
     * Closes every open session with 1001, waits for their closing handshakes (at most the close timeout, plus a
     * second), then closes whatever is left and releases the event loops.
     */
    public Mono<Void> dispose() {
        return Mono.defer(() -> {
            List<WebSocketSession> sessions = List.copyOf(open);
            sessions.forEach(s -> s.close(GOING_AWAY));
            return Flux.fromIterable(sessions)
                    .flatMap(WebSocketSession::closeStatus)
                    .then()
                    // per client, armed by the caller off the loops, so on the parallel scheduler; the loop ending
                    // the last session cancels it (one task, not one per connection)
                    .timeout(settings.closeTimeout().plusSeconds(1), Mono.empty())
                    .then(transport.dispose())
                    .doFinally(signal -> {
                        if (tls != null) {
                            tls.close();
                        }
                    });
        });
    }

    @Override
    public String toString() {
        return "WebSocketClient[" + uri + ", " + open.size() + " open]";
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return isSecure(uri) ? 443 : 80;
    }

    private static boolean isSecure(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("wss") || scheme.equals("https");
    }

    /** Settings of a {@link WebSocketClient}. */
    public static final class Builder {

        private final URI uri;
        private final ClientHandshake.Builder handshake;
        private WebSocketSettings settings = WebSocketSettings.defaults();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Consumer<Client.Builder> transport = b -> { };
        private Consumer<TlsOptions.Builder> tls = b -> { };

        private Builder(URI uri) {
            this.handshake = ClientHandshake.builder(Objects.requireNonNull(uri, "uri").toString());
            this.uri = uri;
        }

        /** The {@code Origin} to send, as a page of that origin would; none unless set. */
        public Builder origin(String origin) {
            handshake.origin(origin);
            return this;
        }

        /** The subprotocols to offer, most preferred first; the session's {@code subprotocol()} is the one agreed. */
        public Builder subprotocols(String... names) {
            handshake.subprotocols(names);
            return this;
        }

        /** Offers permessage-deflate (context takeover both ways, no window limit). Off unless called. */
        public Builder permessageDeflate() {
            return permessageDeflate(ClientDeflateOptions.DEFAULT);
        }

        /** Offers permessage-deflate as {@code options} say; null turns it off. */
        public Builder permessageDeflate(ClientDeflateOptions options) {
            handshake.permessageDeflate(options);
            return this;
        }

        /** An extra request header field (authorization, cookie, ...). */
        public Builder header(String name, String value) {
            handshake.header(name, value);
            return this;
        }

        /** How long the server has to answer the upgrade; 10 s by default. */
        public Builder handshakeTimeout(Duration timeout) {
            handshake.timeout(timeout);
            return this;
        }

        /** How long the TCP connection may take to open; 10 s by default. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Bounds on the response head; {@link HttpLimits#DEFAULT} unless set. */
        public Builder httpLimits(HttpLimits limits) {
            handshake.limits(limits);
            return this;
        }

        /** Each session's limits and timers; {@link WebSocketSettings#defaults()} unless set. */
        public Builder settings(WebSocketSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Adjusts the TCP client before it is built: allocator, budget, event-loop threads, extra filters. Its host
         * and port come from the URI.
         */
        public Builder transport(Consumer<Client.Builder> customizer) {
            this.transport = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * For {@code wss://}: adjusts the TLS client options (trust, provider, ALPN, client certificate), preset with
         * the URI's host as the name sent in SNI and verified against the server's certificate. Trust is the
         * system's unless set. Ignored for {@code ws://}.
         */
        public Builder tls(Consumer<TlsOptions.Builder> customizer) {
            this.tls = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * The client; it owns event loops (and, for {@code wss://}, a TLS context) until
         * {@link WebSocketClient#dispose()}. Reads the TLS options' files, if any, here.
         */
        public WebSocketClient build() {
            return new WebSocketClient(this);
        }
    }
}
