package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.CloseStatus;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chat room with real members over loopback: messages reach every member with the sender's name, the page is
 * served on the same port, and a member that stops reading is disconnected with 1008 while the others go on.
 */
class ChatRoomTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ChatRoom room = new ChatRoom(256);
    private Server server;
    private final List<WebSocketClient> clients = new CopyOnWriteArrayList<>();

    private void start() {
        server = ChatServer.bind(ChatServer.options().parse("--port", "0", "--threads", "1"), room)
                .block(TIMEOUT);
    }

    private WebSocketSession member(String name) {
        WebSocketClient client = WebSocket.client("ws://127.0.0.1:" + server.port() + "/chat?name=" + name)
                .transport(t -> t.allocator(SluiceTest.allocator()))
                .build();
        clients.add(client);
        return client.connect().block(TIMEOUT);
    }

    @AfterEach
    void stop() {
        clients.forEach(c -> c.dispose().block(TIMEOUT));
        if (server != null) {
            server.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
            assertThat(server.metrics().leaks()).isZero();
        }
    }

    private static Flux<String> texts(WebSocketSession session) {
        return session.receive().map(m -> {
            try {
                return m.text();
            } finally {
                m.release();
            }
        });
    }

    private void awaitMembers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (room.size() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(room.size()).isEqualTo(n);
    }

    @Test
    void everyMemberReceivesEveryMessageWithTheSendersName() throws Exception {
        start();
        WebSocketSession alice = member("alice");
        List<String> aliceSaw = new CopyOnWriteArrayList<>();
        texts(alice).subscribe(aliceSaw::add);
        awaitMembers(1);
        WebSocketSession bob = member("bob");
        Mono<List<String>> bobSees = texts(bob).take(3).collectList();

        alice.send(Mono.fromSupplier(() -> WebSocketMessage.text(alice.allocator(), "hi bob"))).block(TIMEOUT);

        assertThat(bobSees.block(TIMEOUT))
                .containsExactly("* welcome bob, 1 other member(s) here", "* bob joined", "alice: hi bob");
        bob.close();
        assertThat(bob.closeStatus().block(TIMEOUT)).isEqualTo(CloseStatus.NORMAL);
        awaitMembers(1);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!aliceSaw.contains("* bob left") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(aliceSaw).containsExactly("* welcome alice, 0 other member(s) here", "* alice joined",
                "* bob joined", "alice: hi bob", "* bob left");
    }

    @Test
    void aMemberThatStopsReadingIsDisconnectedWithoutSlowingTheOthers() throws Exception {
        start();
        // The slow member never asks for a message, so its connection never reads a byte after the handshake.
        member("slow");
        awaitMembers(1);
        WebSocketSession fast = member("fast");
        AtomicLong echoed = new AtomicLong();
        texts(fast).filter(t -> t.startsWith("fast: ")).subscribe(t -> echoed.incrementAndGet());
        String payload = "x".repeat(4000);
        int batches = 80;
        int batch = 100;
        // The fast member keeps up: at most one batch of its own messages in flight, well under its queue of 256.
        // In all 32 MB go to every member: far more than the slow one's socket buffers, connection budget and queue
        // hold, so it must be dropped for the fast one to get everything.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int b = 1; b <= batches; b++) {
            fast.send(Flux.range(0, batch).map(i -> WebSocketMessage.text(fast.allocator(), payload)))
                    .block(TIMEOUT);
            while (echoed.get() < (long) b * batch && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(echoed.get()).as("echoes after batch %d", b).isEqualTo((long) b * batch);
        }
        assertThat(room.size()).as("members left in the room").isEqualTo(1);
        // The slow member's 1008 cannot get through its full socket: its close timeout drops the connection.
        while (server.metrics().active() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.metrics().active()).as("open connections").isEqualTo(1);
    }
}
