package io.sluice.samples;

import io.sluice.websocket.CloseStatus;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One broadcast room: every text message a member sends goes to every member, prefixed with the sender's name.
 *
 * <p>Slow members do not slow the room. Posting to a member only queues a string in that member's outbox, whatever
 * its connection does; the outbox drains as fast as the member's socket takes the messages. An outbox holds at most
 * {@code queueLimit} messages: a member that falls that far behind is disconnected with 1008 (policy violation,
 * "too slow") and one log line, and its queued messages are dropped. Nothing a member does can make another wait.
 *
 * <p>Ownership: queued messages are strings, so an outbox holds no buffers; each is encoded into a buffer from its
 * member's own connection budget only when that connection can take it, and {@code send} owns it from there.
 * Messages received from a member are released once read.
 */
final class ChatRoom {

    static final CloseStatus TOO_SLOW = CloseStatus.of(1008, "too slow");
    static final CloseStatus TEXT_ONLY = CloseStatus.of(1003, "text only");
    private static final int MAX_NAME_LENGTH = 24;

    private final int queueLimit;
    /** Each member's outbox, with the member's name. */
    private final Map<FluxSink<String>, String> outboxes = new ConcurrentHashMap<>();
    private final AtomicLong guests = new AtomicLong();

    ChatRoom(int queueLimit) {
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit must be >= 1, got " + queueLimit);
        }
        this.queueLimit = queueLimit;
    }

    /** How many members are in the room. */
    int size() {
        return outboxes.size();
    }

    /** The names of the members in the room now, sorted (a name taken twice is listed twice). */
    List<String> members() {
        return outboxes.values().stream().sorted().toList();
    }

    /** The session handler: the member is in the room from the handshake until its session ends. */
    Mono<Void> join(WebSocketSession session) {
        String name = nameOf(session);
        Flux<String> outbox = Flux.<String>create(sink -> {
            outboxes.put(sink, name);
            sink.onDispose(() -> {
                if (outboxes.remove(sink) != null) {
                    broadcast("* " + name + " left");
                }
            });
            sink.next("* welcome " + name + ", " + (outboxes.size() - 1) + " other member(s) here");
            broadcast("* " + name + " joined");
        }).onBackpressureBuffer(queueLimit, dropped -> tooSlow(name, session), BufferOverflowStrategy.ERROR);
        // The overflow ends the outbox (the member leaves the room at once) and fails this send; the failure is
        // not worth a word, the close frame is queued already.
        Mono<Void> outgoing = session.send(outbox.map(text -> WebSocketMessage.text(session.allocator(), text)))
                .onErrorResume(e -> Mono.empty());
        // handle(), not doOnNext(): the handler takes each message and releases it; passed on, a released message
        // would reach then(), whose discard would release it a second time.
        Mono<Void> incoming = session.receive()
                .<Void>handle((message, sink) -> {
                    try {
                        if (message.isText()) {
                            broadcast(name + ": " + message.text());
                        } else {
                            session.close(TEXT_ONLY);
                        }
                    } finally {
                        message.release();
                    }
                })
                .then();
        // Whichever ends first ends the member: the peer closing (incoming), or its outbox overflowing (outgoing).
        return Mono.firstWithSignal(incoming, outgoing);
    }

    /**
     * A member's outbox overflowed: it is closed with 1008. The close frame goes out once its connection takes data
     * again; if it never does, the session's close timeout drops the connection.
     */
    private void tooSlow(String name, WebSocketSession session) {
        log().info("chat: {} ({}) fell {} messages behind, disconnecting with 1008", name, session.info().id(),
                queueLimit);
        session.close(TOO_SLOW);
    }

    /** Queues {@code text} in every member's outbox; never waits. */
    void broadcast(String text) {
        for (FluxSink<String> outbox : outboxes.keySet()) {
            outbox.next(text);
        }
    }

    /** The {@code name} query parameter, tidied, or a guest name. */
    private String nameOf(WebSocketSession session) {
        String query = session.info().attribute(WebSocket.REQUEST).map(r -> r.query()).orElse(null);
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("name=")) {
                    String name = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8)
                            .replaceAll("[^\\p{L}\\p{N}_.-]", "");
                    if (!name.isEmpty()) {
                        return name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
                    }
                }
            }
        }
        return "guest-" + guests.incrementAndGet();
    }

    private static Logger log() {
        return Loggers.getLogger(ChatRoom.class);
    }
}
