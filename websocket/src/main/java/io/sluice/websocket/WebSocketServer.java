package io.sluice.websocket;

import io.sluice.api.Connection;
import io.sluice.api.GracefulShutdown;
import io.sluice.api.Handler;
import io.sluice.websocket.handshake.PlainHttpHandler;
import io.sluice.websocket.handshake.ServerDeflateOptions;
import io.sluice.websocket.handshake.ServerHandshake;
import io.sluice.websocket.http.HttpLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;

/**
 * A WebSocket endpoint as a {@link Handler}: each connection runs the opening handshake ({@link ServerHandshake}),
 * then the application's session handler on a {@link WebSocketSession}; requests that are not upgrades go to the
 * plain HTTP handler, so that a page and its WebSocket share one port and one origin.
 *
 * <pre>{@code
 * WebSocketServer chat = WebSocket.server()
 *         .paths("/chat")
 *         .subprotocols("chat.v1")
 *         .permessageDeflate()
 *         .plainHttp(pages)
 *         .settings(WebSocketSettings.builder().maxMessageSize(64 * 1024).pingInterval(Duration.ofSeconds(30)).build())
 *         .build(room::join);
 * Server server = Server.tcp().port(8080).handler(chat).bind().block();
 * }</pre>
 *
 * <h2>The session's lifetime</h2>
 * The session handler's publisher runs the application. When it completes, the session is closed with 1000 (unless
 * the application closed it already); when it fails, the failure is logged and the session closed with 1011
 * (internal error); when the session ends first (the peer closed, or the connection dropped), the publisher is
 * cancelled. The connection ends once the closing handshake is over. When the server
 * {@linkplain io.sluice.reactor.Server#shutdown(Duration) shuts down gracefully}, each session is closed with 1001
 * (going away) and its peer's answer is awaited, within the shutdown's grace and the session's close timeout: the
 * endpoint takes over the connection's {@link GracefulShutdown} so that the answer can still be read.
 *
 * <p>Handshake failures are answered on the wire (see {@link ServerHandshake}) and never reach the application.
 *
 * <p>Ownership: the session handler receives the session; messages it receives are its own to release, and
 * {@code send} takes ownership of those it sends (see {@link WebSocketSession}). Buffers the handshake and the
 * session hold are released when the connection ends, however it ends.
 */
public final class WebSocketServer implements Handler {

    private final ServerHandshake handshake;
    private final WebSocketSettings settings;
    private final Function<? super WebSocketSession, ? extends Publisher<Void>> application;

    private WebSocketServer(Builder b, Function<? super WebSocketSession, ? extends Publisher<Void>> application) {
        this.handshake = b.handshake.build();
        this.settings = b.settings;
        this.application = application;
    }

    static Builder builder() {
        return new Builder();
    }

    /** Runs the handshake on {@code connection}, then the session; completes when the connection is done. */
    @Override
    public Publisher<Void> handle(Connection connection) {
        return new ServerSessionRun(connection, handshake, settings, application);
    }

    @Override
    public String toString() {
        return "WebSocketServer[" + settings + "]";
    }

    /** Settings of a {@link WebSocketServer}; every one has a safe default. */
    public static final class Builder {

        private final ServerHandshake.Builder handshake = ServerHandshake.builder();
        private WebSocketSettings settings = WebSocketSettings.defaults();

        private Builder() {
        }

        /** The paths where upgrades are accepted ({@code /chat}); others get 404. None set: every path. */
        public Builder paths(String... paths) {
            handshake.paths(paths);
            return this;
        }

        /** The origins whose pages may connect ({@code https://example.com}); others get 403. None set: any. */
        public Builder allowedOrigins(String... origins) {
            handshake.allowedOrigins(origins);
            return this;
        }

        /** The subprotocols spoken, most preferred first; the session's {@code subprotocol()} is the one agreed. */
        public Builder subprotocols(String... names) {
            handshake.subprotocols(names);
            return this;
        }

        /**
         * Accepts permessage-deflate offers (context takeover both ways). Messages under the settings'
         * {@link WebSocketSettings#compressionThreshold() compression threshold} go uncompressed. Off unless called.
         */
        public Builder permessageDeflate() {
            return permessageDeflate(ServerDeflateOptions.DEFAULT);
        }

        /** Accepts permessage-deflate offers as {@code options} say; null turns it off. */
        public Builder permessageDeflate(ServerDeflateOptions options) {
            handshake.permessageDeflate(options);
            return this;
        }

        /** Accepts the legacy Hixie-76 (HyBi-00) handshake and framing, text messages only. Off by default. */
        public Builder hixie76(boolean enabled) {
            handshake.hixie76(enabled);
            return this;
        }

        /** Whether the server runs under TLS, so that Hixie-76's location says {@code wss://}. False by default. */
        public Builder secure(boolean secure) {
            handshake.secure(secure);
            return this;
        }

        /** How long a client has to send its whole request head; 10 s by default (408 after). */
        public Builder handshakeTimeout(Duration timeout) {
            handshake.timeout(timeout);
            return this;
        }

        /** Bounds on the request head; {@link HttpLimits#DEFAULT} (8 KiB, 100 fields) unless set. */
        public Builder httpLimits(HttpLimits limits) {
            handshake.limits(limits);
            return this;
        }

        /** Answers requests that are not upgrades (pages, resources); 426 Upgrade Required unless set. */
        public Builder plainHttp(PlainHttpHandler handler) {
            handshake.plainHttp(handler);
            return this;
        }

        /** Each session's limits and timers; {@link WebSocketSettings#defaults()} unless set. */
        public Builder settings(WebSocketSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The endpoint, running {@code application} on each session. Its publisher's end closes the session (see
         * {@link WebSocketServer}).
         */
        public WebSocketServer build(Function<? super WebSocketSession, ? extends Publisher<Void>> application) {
            return new WebSocketServer(this, Objects.requireNonNull(application, "application"));
        }
    }
}
