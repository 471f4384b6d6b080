package io.sluice.benchmarks;

import io.sluice.reactor.Server;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketServer;
import io.sluice.websocket.WebSocketSettings;
import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.resources.LoopResources;

/**
 * The WebSocket echo servers compared by {@link CompareWebSocket}, each as its users write it, on any path:
 * <ul>
 *   <li>Sluice: {@code WebSocket.server()} with {@code session -> session.send(session.receive())} over
 *       {@code Server.tcp()};</li>
 *   <li>Reactor Netty: {@code HttpServer} routing {@code ws("/", (in, out) -> out.send(in.receive().retain()))},
 *       binary frames echoed as binary.</li>
 * </ul>
 * With {@code deflate}, both accept permessage-deflate offers (Reactor Netty through
 * {@code WebsocketServerSpec.compress(true)}), and Sluice compresses every message however short, as Reactor Netty
 * does, so that both do the same work (Sluice's default threshold would send messages under 256 bytes
 * uncompressed).
 */
final class WebSocketEchoServers {

    /** Raised above the 10,000 default so the idle-connection measurement is not refused. */
    private static final int MAX_CONNECTIONS = 100_000;

    private WebSocketEchoServers() {
    }

    static RunningServer start(EchoKind kind, String host, int port, int threads, boolean deflate) {
        return switch (kind) {
            case SLUICE -> sluice(host, port, threads, deflate);
            case REACTOR -> reactor(host, port, threads, deflate);
            case NETTY -> throw new IllegalArgumentException("no plain-Netty WebSocket echo server; use sluice or "
                    + "reactor");
        };
    }

    private static RunningServer sluice(String host, int port, int threads, boolean deflate) {
        WebSocketServer.Builder endpoint = WebSocket.server()
                .settings(WebSocketSettings.builder().compressionThreshold(0).build());
        if (deflate) {
            endpoint.permessageDeflate();
        }
        Server server = Server.tcp()
                .host(host)
                .port(port)
                .eventLoopThreads(threads)
                .maxConnections(MAX_CONNECTIONS)
                .handler(endpoint.build(session -> session.send(session.receive())))
                .bind()
                .block(Duration.ofSeconds(30));
        return new RunningServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void stop() {
                server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(30));
            }
        };
    }

    private static RunningServer reactor(String host, int port, int threads, boolean deflate) {
        // Own loops sized like Sluice's, rather than Reactor Netty's global max(cores, 4).
        LoopResources loops = LoopResources.create("reactor-ws-echo", 1, threads, true);
        WebsocketServerSpec spec = WebsocketServerSpec.builder().compress(deflate).build();
        DisposableServer server = HttpServer.create()
                .host(host)
                .port(port)
                .runOn(loops)
                .route(routes -> routes.ws("/", (in, out) -> out.send(in.receive().retain()), spec))
                .bindNow(Duration.ofSeconds(30));
        return new RunningServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void stop() {
                server.disposeNow(Duration.ofSeconds(10));
                loops.disposeLater().block(Duration.ofSeconds(10));
            }
        };
    }
}
