package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.ThreadExecutorMap;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.handshake.ServerHandshake;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Over loopback sockets, the runtime starts both handshakes on the connection's event loop, so their timeouts fire
 * there: the server's 408 is sent from the loop the connection's filters were applied on, and the client's timeout
 * error arrives on an event loop, not on Reactor's parallel scheduler.
 */
class HandshakeTimeoutSocketTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void theServersHandshakeTimeoutAnswersFromTheConnectionsEventLoop() throws Exception {
        CompletableFuture<Thread> appliedOn = new CompletableFuture<>();
        List<Thread> sendsCalledOn = new CopyOnWriteArrayList<>();
        Filter watching = lower -> {
            appliedOn.complete(Thread.currentThread());
            return new ConnectionLayer(lower) {
                @Override
                public Mono<Void> send(Publisher<? extends ByteBuf> data) {
                    sendsCalledOn.add(Thread.currentThread());
                    return lower.send(data);
                }
            };
        };
        ServerHandshake impatient = ServerHandshake.builder().timeout(Duration.ofMillis(200)).build();
        Server server = Server.tcp().allocator(SluiceTest.allocator()).filter(watching)
                .handler(impatient.handler(result -> Mono.empty()))
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(TIMEOUT);
            String answer = c.receive()
                    .map(b -> {
                        try {
                            return b.toString(StandardCharsets.ISO_8859_1);
                        } finally {
                            b.release();
                        }
                    })
                    .collect(StringBuilder::new, StringBuilder::append)
                    .map(StringBuilder::toString)
                    .block(TIMEOUT); // sends nothing: the server gives up

            assertThat(answer).startsWith("HTTP/1.1 408 ");
            Thread loop = appliedOn.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(sendsCalledOn).as("threads the server's sends were called on")
                    .singleElement().isSameAs(loop);
            c.onClose().block(TIMEOUT);
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
        }
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void theClientsHandshakeTimeoutFailsOnItsEventLoop() throws Exception {
        Server silent = Server.tcp().allocator(SluiceTest.allocator())
                .handler(c -> c.receive().doOnNext(ByteBuf::release).then()) // reads the request, never answers
                .bind().block(TIMEOUT);
        WebSocketClient client = WebSocket.client("ws://127.0.0.1:" + silent.port() + "/")
                .handshakeTimeout(Duration.ofMillis(200))
                .transport(t -> t.allocator(SluiceTest.allocator()))
                .build();
        try {
            CompletableFuture<String> failedOn = new CompletableFuture<>();
            client.connect().subscribe(
                    session -> failedOn.completeExceptionally(new AssertionError("a session: " + session)),
                    error -> failedOn.complete((ThreadExecutorMap.currentExecutor() != null ? "event loop " : "")
                            + Thread.currentThread().getName() + ": " + error.getMessage()));

            assertThat(failedOn.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .startsWith("event loop ")
                    .endsWith(": no handshake response within 200 ms")
                    .doesNotContain("parallel-");
        } finally {
            client.dispose().block(TIMEOUT);
            silent.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
        }
    }
}
