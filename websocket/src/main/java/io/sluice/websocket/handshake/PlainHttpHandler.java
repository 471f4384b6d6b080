package io.sluice.websocket.handshake;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpResponse;
import reactor.core.publisher.Mono;

/**
 * Answers the requests a {@link ServerHandshake} receives that are not WebSocket upgrades, so that one port serves a
 * page and its WebSocket from one origin. The connection closes after the response ({@code Connection: close}); the
 * request body, if any, is not read.
 *
 * <p>Ownership: the response returned owns its body, which should be allocated from {@code allocator} (the
 * connection's budget); the handshake writes and releases it, or releases it if the connection fails first. An
 * empty result is answered with 404, an error with 500 (and one log line).
 */
@FunctionalInterface
public interface PlainHttpHandler {

    Mono<HttpResponse> respond(HttpRequestHead request, ByteBufAllocator allocator);

    /** The default: 426 Upgrade Required, naming the protocol and the versions this server speaks. */
    static PlainHttpHandler upgradeRequired() {
        return (request, allocator) -> Mono.fromCallable(() -> HttpResponse.text(426,
                HttpHeaders.of("Upgrade", "websocket", "Sec-WebSocket-Version", ServerNegotiation.SUPPORTED_VERSIONS),
                "this endpoint speaks WebSocket only", allocator));
    }
}
