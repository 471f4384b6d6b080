package io.sluice.websocket.handshake;

import io.sluice.api.Connection;
import io.sluice.api.timer.LoopScheduler;
import io.sluice.websocket.PerMessageDeflate;
import io.sluice.websocket.WebSocketRole;
import io.sluice.websocket.WebSocketVersion;
import io.sluice.websocket.http.HeadParser;
import io.sluice.websocket.http.HeadReader;
import io.sluice.websocket.http.HeadWriter;
import io.sluice.websocket.http.HttpHeadException;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpLimits;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpResponseHead;
import io.sluice.websocket.http.HttpTokens;
import io.sluice.websocket.http.IncompleteHeadException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;

/**
 * The client side of the RFC 6455 opening handshake over an open {@link Connection}: sends the request (with a
 * fresh random 16-byte key, the origin, the subprotocols and the permessage-deflate offer) and checks the answer as
 * §4.1 requires: status 101, {@code Upgrade: websocket}, {@code Connection: Upgrade}, the expected
 * {@code Sec-WebSocket-Accept}, a subprotocol and extensions only among those offered, with valid parameters. Any
 * failure is a {@link HandshakeException} naming the broken rule, after the connection was closed and every buffer
 * released.
 *
 * <p>Ownership: the handshake releases every buffer it reads for the response head; the bytes that followed it pass
 * to the result's connection (see {@link HandshakeResult}). The request comes from the connection's budget.
 *
 * <p>{@link Builder#build()} creates and seeds the {@link SecureRandom} the keys come from, which may read the
 * system's entropy source: build handshakes at startup, off the event loops.
 */
public final class ClientHandshake {

    private final URI uri;
    private final String origin;
    private final List<String> subprotocols;
    private final ClientDeflateOptions deflate;
    private final HttpHeaders extraHeaders;
    private final Duration timeout;
    private final HttpLimits limits;
    private final SecureRandom random;

    private ClientHandshake(Builder b) {
        this.uri = b.uri;
        this.origin = b.origin;
        this.subprotocols = List.copyOf(b.subprotocols);
        this.deflate = b.deflate;
        this.extraHeaders = b.headers;
        this.timeout = b.timeout;
        this.limits = b.limits;
        this.random = b.random != null ? b.random : seededRandom();
    }

    /** A handshake for {@code uri}: {@code ws://host:port/path?query} ({@code wss}, {@code http}, {@code https} too). */
    public static Builder builder(String uri) {
        return new Builder(URI.create(uri));
    }

    /**
     * Runs the handshake on {@code lower}: emits the result once a valid 101 response was read, or errors with a
     * {@link HandshakeException} (or the connection's own error) after closing {@code lower}. Cancelling it before
     * the result closes the connection. The response timeout runs on the event loop this is called on (the
     * connection's, when called as the connection opens), or on Reactor's parallel scheduler when called off any
     * event loop (see {@link LoopScheduler}): a response read on that loop then cancels it without waiting for
     * another thread.
     */
    public Mono<HandshakeResult> connect(Connection lower) {
        Scheduler timers = LoopScheduler.current();
        return Mono.defer(() -> {
            String key = newKey();
            HttpRequestHead request = request(key);
            HeadReader<HttpResponseHead> reader = HeadReader.start(lower, HeadParser.response(limits));
            AtomicBoolean delivered = new AtomicBoolean();
            Mono<Boolean> sent = SendOnce.send(lower, () -> HeadWriter.write(request, lower.budget().allocator(), 0))
                    .thenReturn(Boolean.TRUE);
            return Mono.zip(sent, reader.head(), (ok, response) -> response)
                    .timeout(timeout, timers)
                    .map(response -> {
                        Agreement agreed = validate(response, key);
                        return new HandshakeResult(WebSocketVersion.RFC6455, WebSocketRole.CLIENT,
                                agreed.subprotocol(), agreed.deflate(), request, response,
                                new UpgradedConnection(lower, reader));
                    })
                    .onErrorMap(this::explain)
                    .doOnError(e -> {
                        reader.dispose();
                        lower.close();
                    })
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

    private Throwable explain(Throwable e) {
        if (e instanceof TimeoutException) {
            return new HandshakeException("no handshake response within " + timeout.toMillis() + " ms", e);
        }
        if (e instanceof IncompleteHeadException) {
            return new HandshakeException("the server closed the connection before its handshake response was complete", e);
        }
        if (e instanceof HttpHeadException) {
            return new HandshakeException("malformed handshake response: " + e.getMessage(), e);
        }
        return e;
    }

    private record Agreement(String subprotocol, PerMessageDeflate deflate) {
    }

    private Agreement validate(HttpResponseHead response, String key) {
        HttpHeaders h = response.headers();
        if (response.status() != 101) {
            throw new HandshakeException("the server answered " + response.status() + " " + response.reason()
                    + " instead of 101 Switching Protocols");
        }
        if (!h.containsToken("Upgrade", "websocket")) {
            throw new HandshakeException("the response's Upgrade header is not websocket");
        }
        if (!h.containsToken("Connection", "Upgrade")) {
            throw new HandshakeException("the response's Connection header does not contain Upgrade");
        }
        List<String> accept = h.getAll("Sec-WebSocket-Accept");
        if (accept.isEmpty()) {
            throw new HandshakeException("the response has no Sec-WebSocket-Accept");
        }
        if (accept.size() != 1 || !accept.get(0).equals(AcceptKey.accept(key))) {
            throw new HandshakeException("the response's Sec-WebSocket-Accept does not match the key sent");
        }
        List<String> protocols = h.tokens("Sec-WebSocket-Protocol");
        if (protocols.size() > 1) {
            throw new HandshakeException("the server selected more than one subprotocol: " + protocols);
        }
        String subprotocol = protocols.isEmpty() ? null : protocols.get(0);
        if (subprotocol != null && !subprotocols.contains(subprotocol)) {
            throw new HandshakeException("the server selected subprotocol " + subprotocol + ", which was not offered");
        }
        PerMessageDeflate agreed = null;
        String extensions = h.joined("Sec-WebSocket-Extensions");
        if (extensions != null) {
            try {
                agreed = DeflateResponseCheck.check(ExtensionHeader.parse(extensions), deflate);
            } catch (ExtensionHeader.MalformedExtensionsException e) {
                throw new HandshakeException("malformed Sec-WebSocket-Extensions in the response: " + e.getMessage());
            }
        }
        return new Agreement(subprotocol, agreed);
    }

    private HttpRequestHead request(String key) {
        HttpHeaders h = HttpHeaders.of(
                "Host", hostHeader(),
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Key", key,
                "Sec-WebSocket-Version", "13");
        if (origin != null) {
            h = h.with("Origin", origin);
        }
        if (!subprotocols.isEmpty()) {
            h = h.with("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
        }
        if (deflate != null) {
            h = h.with("Sec-WebSocket-Extensions", deflate.offer());
        }
        for (int i = 0; i < extraHeaders.size(); i++) {
            h = h.with(extraHeaders.name(i), extraHeaders.value(i));
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new HttpRequestHead("GET", target, "HTTP/1.1", h);
    }

    private String hostHeader() {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = scheme.equals("wss") || scheme.equals("https") ? 443 : 80;
        int port = uri.getPort();
        return port == -1 || port == defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private String newKey() {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    private static SecureRandom seededRandom() {
        SecureRandom r;
        try {
            r = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            r = new SecureRandom();
        }
        r.nextBytes(new byte[16]); // seeds it now, so that later keys never wait on the entropy source
        return r;
    }

    /** Settings of a {@link ClientHandshake}. */
    public static final class Builder {

        private final URI uri;
        private String origin;
        private final List<String> subprotocols = new ArrayList<>();
        private ClientDeflateOptions deflate;
        private HttpHeaders headers = HttpHeaders.empty();
        private Duration timeout = Duration.ofSeconds(10);
        private HttpLimits limits = HttpLimits.DEFAULT;
        private SecureRandom random;

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!List.of("ws", "wss", "http", "https").contains(scheme) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected a ws:// or wss:// URI with a host, got " + uri);
            }
            this.uri = uri;
        }

        /** The {@code Origin} to send, as a browser page of that origin would; none unless set. */
        public Builder origin(String origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
            return this;
        }

        /** The subprotocols to offer, most preferred first. */
        public Builder subprotocols(String... names) {
            for (String name : names) {
                if (!HttpTokens.isToken(name)) {
                    throw new IllegalArgumentException("a subprotocol must be a token, got \"" + name + "\"");
                }
                subprotocols.add(name);
            }
            return this;
        }

        /** Offers permessage-deflate with the default options. Off unless called. */
        public Builder permessageDeflate() {
            return permessageDeflate(ClientDeflateOptions.DEFAULT);
        }

        /** Offers permessage-deflate as {@code options} say; null turns it off. */
        public Builder permessageDeflate(ClientDeflateOptions options) {
            this.deflate = options;
            return this;
        }

        /** An extra request header field (authorization, cookie, ...). */
        public Builder header(String name, String value) {
            this.headers = headers.with(name, value);
            return this;
        }

        /** How long the server has to answer; 10 s by default. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Bounds on the response head; {@link HttpLimits#DEFAULT} unless set. */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Where keys come from; a seeded DRBG made by {@link #build()} unless set. */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public ClientHandshake build() {
            return new ClientHandshake(this);
        }
    }
}
