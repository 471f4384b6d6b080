package io.sluice.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.filters.tls.DevelopmentCertificate;
import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.filters.tls.TlsOptions;
import io.sluice.filters.tls.TrustMaterial;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A server that accepts the upgrade and closes at once, its close frame in the same write as its answer (a server
 * turning clients away with 1013, say): the client must report the server's code, not 1006. The connection is gone
 * before the session has read the bytes after the handshake, and the session once took that for an abnormal end
 * (about half of the connections did, over a socket). Twenty connections each, over ws and wss.
 */
class CloseRightAfterTheUpgradeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int CONNECTIONS = 20;

    @Test
    void theClientReportsTheServersCodeOverWs() {
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .handler(CloseRightAfterTheUpgradeTest::acceptThenClose).bind().block(TIMEOUT);
        try {
            assertThat(codesSeen("ws://127.0.0.1:" + server.port() + "/busy", null)).containsOnly(1013);
        } finally {
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
    }

    @Test
    void theClientReportsTheServersCodeOverWss() {
        try (TlsFilter tls = Tls.server(TlsOptions.server().build())) { // the development certificate
            Server server = Server.tcp().allocator(SluiceTest.allocator()).filter(tls)
                    .handler(CloseRightAfterTheUpgradeTest::acceptThenClose).bind().block(TIMEOUT);
            try {
                assertThat(codesSeen("wss://127.0.0.1:" + server.port() + "/busy",
                        TrustMaterial.of(DevelopmentCertificate.certificate()))).containsOnly(1013);
            } finally {
                server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
            }
        }
    }

    private static List<Integer> codesSeen(String uri, TrustMaterial trust) {
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            WebSocketClient.Builder builder = WebSocket.client(uri).transport(t -> t.allocator(SluiceTest.allocator()));
            if (trust != null) {
                builder.tls(t -> t.trust(trust));
            }
            WebSocketClient client = builder.build();
            try {
                WebSocketSession session = client.connect().block(TIMEOUT);
                session.receive().subscribe(m -> m.release(), e -> { });
                codes.add(session.closeStatus().block(TIMEOUT).code());
            } finally {
                client.dispose().block(TIMEOUT);
            }
        }
        return codes;
    }

    /** Reads the request head, answers 101 with a close frame (1013) in the same write, and ends the connection. */
    private static Mono<Void> acceptThenClose(Connection c) {
        return c.receive()
                .scan(new StringBuilder(), (head, buf) -> {
                    head.append(buf.toString(StandardCharsets.ISO_8859_1));
                    buf.release();
                    return head;
                })
                .takeUntil(head -> head.indexOf("\r\n\r\n") >= 0)
                .last()
                .flatMap(head -> {
                    String key = head.toString().lines()
                            .filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
                            .findFirst().orElseThrow().substring(18).trim();
                    byte[] answer = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + AcceptKey.accept(key) + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    return c.send(Mono.fromSupplier(() -> {
                        ByteBuf b = c.budget().allocator().buffer(answer.length + 4).writeBytes(answer);
                        return b.writeByte(0x88).writeByte(2).writeShort(1013); // close, final, 1013 try again later
                    }));
                });
    }
}
