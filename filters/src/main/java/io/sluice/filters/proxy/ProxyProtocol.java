package io.sluice.filters.proxy;

import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.Handler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The PROXY protocol (HAProxy's "proxy-protocol.txt", versions 1 and 2), by which a TCP load balancer (HAProxy, AWS
 * NLB, nginx stream, Envoy) tells a server the real client of each connection in a header before its first byte.
 *
 * <pre>{@code
 * Server.tcp().filter(ProxyProtocol.server().build())           // then TLS, framing... above it
 *         .handler(c -> {                                       // started once the header is in
 *             SocketAddress client = c.info().remoteAddress();  // the header's source
 *             return c.send(c.receive());
 *         })
 *         .bind().block();
 *
 * Client.tcp().filter(ProxyProtocol.client(ProxyVersion.V2).build())...   // a relay's side
 * }</pre>
 *
 * <p>The server side is {@link ProxyProtocolServer} (settings and security note there), the sending side
 * {@link ProxyProtocolClient}. No buffer crosses this class.
 */
public final class ProxyProtocol {

    /** The header a connection started with, in the server filter's upper connection's info once it is accepted. */
    public static final ConnectionInfo.Key<ProxyHeader> HEADER = ConnectionInfo.Key.of("proxy-protocol.header");

    private ProxyProtocol() {
    }

    /** The server side's settings: both versions, header required, 5 s timeout, 4 KiB v2 headers, any source. */
    public static ProxyProtocolServer.Builder server() {
        return ProxyProtocolServer.builder();
    }

    /** The sending side's settings, for {@code version}. */
    public static ProxyProtocolClient.Builder client(ProxyVersion version) {
        return ProxyProtocolClient.builder(version);
    }

    /**
     * {@code connection}'s info once the server filter below it has accepted its header (or found none, where none
     * is required): its addresses are then the header's. Errors with the {@link ProxyProtocolException} if the header
     * was refused (the connection is then closing). Emits the info at once for a connection with no PROXY protocol
     * filter below it.
     */
    public static Mono<ConnectionInfo> awaitHeader(Connection connection) {
        return Mono.defer(() -> {
            Mono<Void> decided = connection.info().attribute(ProxiedConnection.DECIDED).orElse(null);
            return decided == null
                    ? Mono.just(connection.info())
                    : decided.then(Mono.fromSupplier(connection::info));
        });
    }

    /**
     * {@code handler}, started once the header is accepted, so that it sees the header's addresses from its first
     * line (a Sluice server does this by itself, waiting for {@link Connection#ready()}; this is for other runtimes); as the specification asks, nothing of the connection is processed before. When the header is refused
     * the handler never runs (the refusal was logged and the connection is closing).
     */
    public static Handler afterHeader(Handler handler) {
        return connection -> awaitHeader(connection)
                .onErrorResume(ProxyProtocolException.class, refused -> Mono.empty())
                .flatMapMany(info -> Flux.from(handler.handle(connection)));
    }
}
