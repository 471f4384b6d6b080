package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sessions over real loopback sockets (no opening handshake: both ends start framing at once), so that the event
 * loops, the transport's reading on demand and its closing run under the session with BlockHound watching.
 */
class SocketSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void echoesOverLoopbackAndClosesCleanly() {
        for (PerMessageDeflate deflate : new PerMessageDeflate[] {null, new PerMessageDeflate(false, false, 15, 15)}) {
            AtomicReference<CloseStatus> serverSaw = new AtomicReference<>();
            WebSocketSettings settings = WebSocketSettings.builder().maxMessageSize(4 << 20).maxFrameSize(4 << 20)
                    .build();
            Server server = Server.tcp().allocator(SluiceTest.allocator())
                    .handler(c -> {
                        WebSocketSession s = WebSocketSession.create(c, WebSocketRole.SERVER,
                                WebSocketVersion.RFC6455, null, deflate, settings);
                        return s.send(s.receiveFragments()).onErrorResume(e -> Mono.empty())
                                .then(s.closeStatus().doOnNext(serverSaw::set)).then();
                    })
                    .bind().block(TIMEOUT);
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
            try {
                Connection c = client.connect().block(TIMEOUT);
                WebSocketSession session = WebSocketSession.create(c, WebSocketRole.CLIENT, WebSocketVersion.RFC6455,
                        null, deflate, settings);
                int count = 200;
                // Fragments: a 1 MiB message does not fit the client's default budget whole.
                int[] pending = {0};
                Mono<List<Integer>> sizes = session.receiveFragments()
                        .handle((WebSocketMessage m, reactor.core.publisher.SynchronousSink<Integer> sink) -> {
                            try {
                                pending[0] += m.content().readableBytes();
                                if (m.isLast()) {
                                    sink.next(pending[0]);
                                    pending[0] = 0;
                                }
                            } finally {
                                m.release();
                            }
                        })
                        .take(count + 1)
                        .collectList();
                Flux<WebSocketMessage> messages = Flux.range(0, count)
                        .map(i -> WebSocketMessage.text(session.allocator(), "message " + i))
                        .concatWith(Mono.fromSupplier(() -> WebSocketMessage.binary(session.allocator(),
                                new byte[1 << 20])));
                session.send(messages).subscribe();
                List<Integer> echoed = sizes.block(TIMEOUT);
                assertThat(echoed).hasSize(count + 1);
                assertThat(echoed.get(count)).isEqualTo(1 << 20);
                session.close(CloseStatus.of(4000, "done"));
                assertThat(session.closeStatus().block(TIMEOUT)).isEqualTo(CloseStatus.of(4000));
                c.onClose().block(TIMEOUT);
            } finally {
                client.dispose().block(TIMEOUT);
                server.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
            }
            assertThat(serverSaw.get()).as(String.valueOf(deflate)).isEqualTo(CloseStatus.of(4000, "done"));
            assertThat(server.metrics().leaks()).isZero();
        }
    }
}
