package io.sluice.spring.boot.autoconfigure;

import io.sluice.test.SluiceTest;
import io.sluice.websocket.CloseStatus;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;

/** A Sluice WebSocket client for the tests: sends texts and collects as many answers, on the test's allocator. */
final class WebSocketPeer {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private WebSocketPeer() {
    }

    /** What a session with {@code uri} answers to {@code texts}, one answer each; then closes with 1000. */
    static List<String> exchange(String uri, List<String> texts) {
        return exchange(uri, UnaryOperator.identity(), texts);
    }

    /** As {@link #exchange(String, List)}, the client adjusted by {@code client}. */
    static List<String> exchange(String uri, UnaryOperator<WebSocketClient.Builder> client, List<String> texts) {
        WebSocketClient c = client.apply(WebSocket.client(uri).transport(t -> t.allocator(SluiceTest.allocator())))
                .build();
        try {
            WebSocketSession session = c.connect().block(TIMEOUT);
            return exchange(session, texts);
        } finally {
            c.dispose().block(TIMEOUT);
        }
    }

    /** Sends {@code texts} on {@code session}, collects one answer each, closes with 1000 and waits for the answer. */
    static List<String> exchange(WebSocketSession session, List<String> texts) {
        Flux<String> answers = session.receive().map(m -> {
            try {
                return m.text();
            } finally {
                m.release();
            }
        }).take(texts.size());
        session.send(Flux.fromIterable(texts).map(t -> WebSocketMessage.text(session.allocator(), t))).subscribe();
        List<String> received = answers.collectList().block(TIMEOUT);
        session.close();
        CloseStatus status = session.closeStatus().block(TIMEOUT);
        if (status == null || status.code() != CloseStatus.NORMAL.code()) {
            throw new AssertionError("closed with " + status + " after " + received);
        }
        return received;
    }
}
