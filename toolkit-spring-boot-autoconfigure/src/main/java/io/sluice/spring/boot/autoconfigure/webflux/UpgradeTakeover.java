package io.sluice.spring.boot.autoconfigure.webflux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ServerChannel;
import io.sluice.reactor.Takeover;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerRequest;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Hands a WebFlux upgrade request over to a mounted Sluice WebSocket endpoint. WebFlux's own upgrade
 * ({@code RequestUpgradeStrategy}) would put Netty's WebSocket codec on the connection; Sluice's framing,
 * permessage-deflate and budgets need the raw bytes after the handshake instead. So the connection is taken over
 * before any answer: the request head, as Reactor Netty parsed it, is written back into bytes as the connection's
 * first input, Reactor Netty's HTTP handlers leave the pipeline (TLS, below them, stays), and the endpoint runs
 * Sluice's own opening handshake on it, answering 101 (or refusing with 400, 403, 404, 426) itself.
 *
 * <p>The WebFlux request stays open until the Sluice connection has finished, so that WebFlux's graceful shutdown
 * waits for it too; WebFlux then has nothing left to answer, the channel being closed.
 *
 * <p>Needs Reactor Netty and HTTP/1.1: on another server, or an HTTP/2 stream, the request is answered 501.
 */
final class UpgradeTakeover implements WebHandler {

    /** Reactor Netty's HTTP handlers: the codec and what works on HTTP messages; TLS and the bridge stay. */
    private static final List<String> HTTP_HANDLERS = List.of(
            NettyPipeline.HttpCodec, NettyPipeline.HttpTrafficHandler, NettyPipeline.CompressionHandler,
            NettyPipeline.HttpDecompressor, NettyPipeline.HttpAggregator, NettyPipeline.AccessLogHandler,
            NettyPipeline.HttpMetricsHandler, NettyPipeline.IdleTimeoutHandler, NettyPipeline.ReadTimeoutHandler,
            NettyPipeline.ResponseTimeoutHandler, NettyPipeline.ChunkedWriter, NettyPipeline.H2CUpgradeHandler);

    private final String name;
    private final SluiceWebFluxEndpoints endpoints;

    UpgradeTakeover(String name, SluiceWebFluxEndpoints endpoints) {
        this.name = name;
        this.endpoints = endpoints;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (!(nativeRequest instanceof HttpServerRequest request)) {
            return refuse(exchange, HttpStatus.NOT_IMPLEMENTED, "needs Spring WebFlux on Reactor Netty, not "
                    + nativeRequest.getClass().getName());
        }
        AtomicReference<Connection> connection = new AtomicReference<>();
        request.withConnection(connection::set);
        Channel channel = connection.get() == null ? null : connection.get().channel();
        if (channel == null || !(channel.parent() instanceof ServerChannel)) {
            return refuse(exchange, HttpStatus.NOT_IMPLEMENTED, "needs an HTTP/1.1 connection");
        }
        Takeover takeover = endpoints.get(name);
        if (takeover == null) {
            return refuse(exchange, HttpStatus.SERVICE_UNAVAILABLE, "the endpoint is not running");
        }
        connection.get().markPersistent(false);
        ByteBuf head = requestHead(request, channel.alloc());
        return takeover.adopt(channel, head, UpgradeTakeover::removeHttpHandlers);
    }

    /** The request head as it came, in HTTP/1.1 syntax, for Sluice's handshake to read. */
    static ByteBuf requestHead(HttpServerRequest request, ByteBufAllocator alloc) {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method().name()).append(' ').append(request.uri()).append(' ')
                .append(request.version().text()).append("\r\n");
        for (Map.Entry<String, String> field : request.requestHeaders()) {
            head.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
        }
        head.append("\r\n");
        byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    private static void removeHttpHandlers(ChannelPipeline pipeline) {
        for (String handler : HTTP_HANDLERS) {
            if (pipeline.get(handler) != null) {
                pipeline.remove(handler);
            }
        }
    }

    private Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String reason) {
        log().warn("Sluice WebSocket endpoint '{}': upgrade at {} answered {}: {}", name,
                exchange.getRequest().getPath(), status.value(), reason);
        exchange.getResponse().setStatusCode(status);
        return exchange.getResponse().setComplete();
    }

    private static Logger log() {
        return Loggers.getLogger(UpgradeTakeover.class);
    }
}
