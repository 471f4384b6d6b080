package io.sluice.websocket.handshake;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.Handler;
import io.sluice.api.timer.LoopScheduler;
import io.sluice.websocket.WebSocketRole;
import io.sluice.websocket.http.HeadParser;
import io.sluice.websocket.http.HeadReader;
import io.sluice.websocket.http.HeadWriter;
import io.sluice.websocket.http.HttpHeadException;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpLimits;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpResponse;
import io.sluice.websocket.http.HttpTokens;
import io.sluice.websocket.http.IncompleteHeadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The server side of the WebSocket opening handshake over a {@link Connection}: reads the request head (bounded by
 * {@link HttpLimits} and a timeout), checks it (RFC 6455 §4.2.1: GET, HTTP/1.1, Host, {@code Upgrade: websocket},
 * {@code Connection: Upgrade}, a 16-byte {@code Sec-WebSocket-Key}, version 13, 8 or 7), the path against the
 * endpoints and the origin against an allow-list, selects a subprotocol and negotiates permessage-deflate, and
 * answers 101 with {@code Sec-WebSocket-Accept}. The legacy Hixie-76 handshake is accepted only when enabled. Requests that are not
 * upgrades go to a {@link PlainHttpHandler}, which answers 426 unless one is set.
 *
 * <pre>{@code
 * ServerHandshake handshake = ServerHandshake.builder().subprotocols("chat").permessageDeflate().build();
 * Server.tcp().handler(handshake.handler(result -> session(result))).bind();
 * }</pre>
 *
 * <p>Failures are answered on the wire and end the connection, never an error in the application: a malformed head
 * 400, a head too large 431, an unsupported HTTP version 505, a refused upgrade 400 (426 for an unsupported
 * WebSocket version, with {@code Sec-WebSocket-Version: 13, 8, 7}; 403 for a refused origin; 404 for a path that
 * is not an endpoint), a head not complete in
 * time 408; then one WARN line naming the connection, the connection closed, every buffer released, and the
 * {@link #accept} result empty. A peer that closes before sending a byte is closed quietly.
 *
 * <p>Timers: the handshake's timeouts run on the event loop {@link #accept} is called on (the connection's, when the
 * runtime starts the handler), so that they fire there and a handshake completing there cancels its timer without
 * waiting for another thread; called off any event loop, they run on Reactor's parallel scheduler (see
 * {@link LoopScheduler}).
 *
 * <p>Ownership: the handshake releases every buffer it reads for the head; the bytes that followed the head pass to
 * the result's connection (see {@link HandshakeResult}). Response buffers come from the connection's budget.
 */
public final class ServerHandshake {

    private final ServerNegotiation.Policy policy;
    private final HttpLimits limits;
    private final Duration timeout;
    private final PlainHttpHandler plainHttp;

    private ServerHandshake(Builder b) {
        this.policy = new ServerNegotiation.Policy(Set.copyOf(b.paths), List.copyOf(b.subprotocols),
                Set.copyOf(b.allowedOrigins), b.deflate, b.hixie76, b.secure);
        this.limits = b.limits;
        this.timeout = b.timeout;
        this.plainHttp = b.plainHttp;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the handshake on {@code lower}: emits the result once the 101 response was sent, or completes empty when
     * the request was answered otherwise (refused, or served by the plain HTTP handler) and the connection closed.
     * Errors only if the handshake itself breaks (a bug). Cancelling it before the result closes the connection.
     * Its timers run on the event loop this is called on, if any (see the class description).
     */
    public Mono<HandshakeResult> accept(Connection lower) {
        return accept(lower, () -> { });
    }

    /**
     * As {@link #accept(Connection)}, running {@code upgrading} once the request is to be upgraded, just before the
     * 101 response is written: from then on the peer may treat the connection as a WebSocket, so whatever must
     * already hold for a session (taking over the connection's graceful shutdown, so that a shutdown closes the
     * session with 1001 instead of ending its input) is set up there. It runs on the connection's thread and must
     * not block or throw.
     */
    public Mono<HandshakeResult> accept(Connection lower, Runnable upgrading) {
        Objects.requireNonNull(upgrading, "upgrading");
        Scheduler timers = LoopScheduler.current();
        return Mono.defer(() -> {
            HeadReader<HttpRequestHead> reader = HeadReader.start(lower, HeadParser.request(limits));
            AtomicBoolean delivered = new AtomicBoolean();
            return reader.head()
                    .map(head -> new Read(head, ServerNegotiation.decide(head, policy), null))
                    .flatMap(read -> read.decision() instanceof Decision.Upgrade u && u.needsChallenge()
                            ? reader.take(Hixie76.CHALLENGE_LENGTH).map(read::withChallenge)
                            : Mono.just(read))
                    .timeout(timeout, timers)
                    .onErrorResume(e -> readFailed(lower, reader, e, timers).then(Mono.empty()))
                    .flatMap(read -> respond(lower, reader, read, upgrading, timers))
                    .doOnNext(result -> delivered.set(true))
                    .doFinally(signal -> {
                        // after the cancel reached the reader's pending step, which then ends silently
                        if (signal == SignalType.CANCEL && !delivered.get()) {
                            reader.dispose();
                            lower.close();
                        }
                    });
        });
    }

    /** A {@link Handler} running the handshake, then {@code application} on each result. */
    public Handler handler(Function<? super HandshakeResult, ? extends Publisher<Void>> application) {
        Objects.requireNonNull(application, "application");
        return connection -> accept(connection).flatMap(result -> Mono.from(application.apply(result)));
    }

    /** A head read, what to do with it, and Hixie-76's challenge. */
    private record Read(HttpRequestHead head, Decision decision, byte[] challenge) {
        Read withChallenge(byte[] bytes) {
            return new Read(head, decision, bytes);
        }
    }

    private Mono<HandshakeResult> respond(Connection lower, HeadReader<HttpRequestHead> reader, Read read,
                                          Runnable upgrading, Scheduler timers) {
        if (read.decision() instanceof Decision.Upgrade upgrade) {
            upgrading.run();
            return upgrade(lower, reader, read, upgrade, timers);
        }
        reader.dispose(); // a request answered and closed: its body, if any, is not read
        if (read.decision() instanceof Decision.Refuse refuse) {
            log().warn("connection {}: WebSocket handshake for {} refused with {}: {}", id(lower),
                    read.head().target(), refuse.status(), refuse.reason());
            return answer(lower, refuse.status(), refuse.headers(), refuse.reason(), timers).then(Mono.empty());
        }
        return servePlain(lower, read.head(), timers).then(Mono.empty());
    }

    private Mono<HandshakeResult> upgrade(Connection lower, HeadReader<HttpRequestHead> reader, Read read,
                                          Decision.Upgrade upgrade, Scheduler timers) {
        byte[] answer = upgrade.needsChallenge()
                ? Hixie76.answer(upgrade.hixieKey1(), upgrade.hixieKey2(), read.challenge())
                : new byte[0];
        return SendOnce.send(lower, () -> {
                    ByteBuf out = HeadWriter.write(upgrade.response(), lower.budget().allocator(), answer.length);
                    return out.writeBytes(answer);
                })
                .timeout(timeout, timers)
                .then(Mono.fromCallable(() -> {
                    log().debug("connection {}: upgraded to WebSocket ({}) at {}", id(lower), upgrade.version(),
                            read.head().target());
                    return new HandshakeResult(upgrade.version(), WebSocketRole.SERVER, upgrade.subprotocol(),
                            upgrade.deflate(), read.head(), upgrade.response(), new UpgradedConnection(lower, reader));
                }))
                .onErrorResume(e -> {
                    log().warn("connection {}: could not send the WebSocket handshake response: {}", id(lower),
                            e.toString());
                    reader.dispose();
                    lower.close();
                    return Mono.empty();
                });
    }

    private Mono<Void> servePlain(Connection lower, HttpRequestHead head, Scheduler timers) {
        Mono<HttpResponse> response = Mono.defer(() -> plainHttp.respond(head, lower.budget().allocator()))
                .switchIfEmpty(Mono.fromCallable(() -> HttpResponse.notFound(head.path(), lower.budget().allocator())))
                .onErrorResume(e -> {
                    log().warn("connection {}: the plain HTTP handler failed on {} {}: {}", id(lower), head.method(),
                            head.target(), e.toString());
                    return Mono.fromCallable(() -> HttpResponse.text(500, "internal error", lower.budget().allocator()));
                })
                .doOnDiscard(HttpResponse.class, HttpResponse::release);
        boolean headOnly = head.method().equals("HEAD");
        return response.flatMap(r -> {
            log().debug("connection {}: {} {} answered {}", id(lower), head.method(), head.target(), r.status());
            return SendOnce.send(lower, r, resp -> resp.encode(lower.budget().allocator(), headOnly),
                    HttpResponse::release).timeout(timeout, timers);
        }).onErrorResume(e -> Mono.empty()).doFinally(signal -> lower.close());
    }

    /** Handles a head that could not be read: answers it when there is something to answer, logs, closes. */
    private Mono<Void> readFailed(Connection lower, HeadReader<HttpRequestHead> reader, Throwable e,
                                  Scheduler timers) {
        reader.dispose();
        if (e instanceof IncompleteHeadException incomplete && incomplete.bytesReceived() == 0) {
            log().debug("connection {}: closed before sending a request", id(lower));
            lower.close();
            return Mono.empty();
        }
        if (e instanceof HttpHeadException bad) {
            log().warn("connection {}: bad request head, answered {}: {}", id(lower), bad.status(), bad.getMessage());
            return answer(lower, bad.status(), HttpHeaders.empty(), bad.getMessage(), timers);
        }
        if (e instanceof TimeoutException) {
            String reason = "no complete request head within " + timeout.toMillis() + " ms";
            log().warn("connection {}: WebSocket handshake timed out, answered 408: {}", id(lower), reason);
            return answer(lower, 408, HttpHeaders.empty(), reason, timers);
        }
        log().warn("connection {}: WebSocket handshake failed while reading the request: {}", id(lower), e.toString());
        lower.close();
        return Mono.empty();
    }

    /** Sends a text response with {@code reason} as its body, then closes the connection. */
    private Mono<Void> answer(Connection lower, int status, HttpHeaders headers, String reason, Scheduler timers) {
        return SendOnce.send(lower, () -> HttpResponse.text(status, headers, reason, lower.budget().allocator())
                        .encode(lower.budget().allocator(), false))
                .timeout(timeout, timers)
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> lower.close());
    }

    private static String id(Connection c) {
        return c.info().id();
    }

    /** Looked up on use, so that a logger factory installed later (a test's capture) sees the line. */
    private static Logger log() {
        return Loggers.getLogger(ServerHandshake.class);
    }

    /** Settings of a {@link ServerHandshake}; every one has a safe default. */
    public static final class Builder {

        private final Set<String> paths = new LinkedHashSet<>();
        private final List<String> subprotocols = new ArrayList<>();
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private ServerDeflateOptions deflate;
        private boolean hixie76;
        private boolean secure;
        private Duration timeout = Duration.ofSeconds(10);
        private HttpLimits limits = HttpLimits.DEFAULT;
        private PlainHttpHandler plainHttp = PlainHttpHandler.upgradeRequired();

        private Builder() {
        }

        /**
         * The paths ({@code /chat}, compared exactly, without the query) where upgrades are accepted; an upgrade
         * elsewhere gets 404. None set: every path. Plain HTTP requests go to the plain handler whatever their path.
         */
        public Builder paths(String... paths) {
            for (String path : paths) {
                Objects.requireNonNull(path, "path");
                if (!path.startsWith("/")) {
                    throw new IllegalArgumentException("a path starts with /, got \"" + path + "\"");
                }
                this.paths.add(path);
            }
            return this;
        }

        /** The subprotocols this server speaks, most preferred first; the first one the client offers is chosen. */
        public Builder subprotocols(String... names) {
            for (String name : names) {
                Objects.requireNonNull(name, "subprotocol");
                if (!HttpTokens.isToken(name)) {
                    throw new IllegalArgumentException("a subprotocol must be a token, got \"" + name + "\"");
                }
                subprotocols.add(name);
            }
            return this;
        }

        /**
         * The origins ({@code https://example.com}, compared ignoring case) whose pages may connect; others get 403.
         * None set: every origin. Requests without an origin (not from a browser) are not checked.
         */
        public Builder allowedOrigins(String... origins) {
            for (String origin : origins) {
                allowedOrigins.add(origin.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Accepts permessage-deflate offers with the default options. Off unless called. */
        public Builder permessageDeflate() {
            return permessageDeflate(ServerDeflateOptions.DEFAULT);
        }

        /** Accepts permessage-deflate offers as {@code options} say; null turns it off. */
        public Builder permessageDeflate(ServerDeflateOptions options) {
            this.deflate = options;
            return this;
        }

        /** Accepts the legacy Hixie-76 (HyBi-00) handshake. Off by default. */
        public Builder hixie76(boolean enabled) {
            this.hixie76 = enabled;
            return this;
        }

        /** Whether the connection runs over TLS: Hixie-76's {@code Sec-WebSocket-Location} then says {@code wss}. */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /** How long the client has to send its whole head (and Hixie-76 challenge); 10 s by default. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Bounds on the request head; {@link HttpLimits#DEFAULT} unless set. */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Answers requests that are not upgrades; {@link PlainHttpHandler#upgradeRequired()} unless set. */
        public Builder plainHttp(PlainHttpHandler handler) {
            this.plainHttp = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public ServerHandshake build() {
            return new ServerHandshake(this);
        }
    }
}
