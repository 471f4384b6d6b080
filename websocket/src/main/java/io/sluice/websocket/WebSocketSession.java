package io.sluice.websocket;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import java.util.concurrent.ThreadLocalRandom;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One WebSocket connection after its opening handshake: messages in, messages out, and the closing handshake.
 *
 * <h2>Receiving</h2>
 * {@link #receive()} delivers whole messages, {@link #receiveFragments()} delivers each message as fragments as its
 * bytes arrive (for messages too large to hold); one of them may be subscribed, once. Frames are read only while
 * the subscriber has demand, so a slow reader slows its peer instead of growing memory, and the connection's
 * {@linkplain Connection#budget() buffer budget} applies: a whole message being assembled is held there, and one that
 * would hold the budget at its high-water mark (or above its low-water mark once the budget is exhausted, when
 * reading could never resume) fails the session with 1009. Pings are answered (only the latest unanswered one),
 * pongs noted, and a close frame answered, as frames are read. The flux completes when the session ends, however it
 * ends; {@link #closeStatus()} says how. Bad input from the peer is never an error here: the session closes with the
 * protocol's code (1002, 1007, 1009), logs one line, and completes the flux. After the flux is cancelled, or when
 * nobody subscribed and the session is closing, frames are read and messages released as they arrive, so control
 * frames are still answered.
 *
 * <h2>Sending</h2>
 * {@link #send(Publisher)} writes messages in order; sends subscribed one after another are written in that order.
 * Pongs and the close frame go out between frames, never inside one. After a close frame has been sent, no data
 * goes out: sends still running fail with {@link io.sluice.api.ConnectionClosedException}, their messages released.
 *
 * <h2>Closing</h2>
 * {@link #close(CloseStatus)} starts the closing handshake; when the peer starts it, the session answers with the
 * peer's code (or an empty close frame if it sent none). A server closes the connection once both close frames were
 * exchanged; a client waits for the server to close it. Either waits at most the close timeout. {@link #closeStatus()}
 * emits the status received from the peer: its code and reason, {@link CloseStatus#NO_STATUS_RECEIVED} when its
 * close frame had none, {@link CloseStatus#ABNORMAL_CLOSURE} when no close frame came (the connection dropped, the
 * close timed out, or this end failed the connection for a protocol error).
 *
 * <h2>Buffer ownership</h2>
 * Each message {@code receive()} emits belongs to its subscriber, who releases it (or passes it on). {@code send}
 * takes ownership of every message its publisher emits, including those still in flight when it is cancelled or the
 * session closes. Payload buffers should come from {@link #allocator()}, the connection's budget. Everything the
 * session holds (partial frames and messages, a pending pong, compression contexts) is released when it ends.
 */
public interface WebSocketSession {

    /**
     * A session over {@code upgraded}, a connection whose opening handshake is done (its inbound bytes start with the
     * first frame). Starts at once: the session subscribes to {@code upgraded}'s sends, and to its inbound bytes
     * when messages are first demanded (or when closing).
     *
     * @param subprotocol the agreed subprotocol, or {@code null}
     * @param perMessageDeflate the agreed permessage-deflate parameters, or {@code null} when not negotiated
     *        (always {@code null} for Hixie-76)
     */
    static WebSocketSession create(Connection upgraded, WebSocketRole role, WebSocketVersion version,
                                   String subprotocol, PerMessageDeflate perMessageDeflate,
                                   WebSocketSettings settings) {
        return FramedSession.start(upgraded, role, version, subprotocol, perMessageDeflate, settings,
                () -> ThreadLocalRandom.current().nextInt());
    }

    /** Whole messages, on demand; see the class comment. */
    Flux<WebSocketMessage> receive();

    /**
     * Messages as fragments, as their bytes arrive; the last fragment of each message
     * {@link WebSocketMessage#isLast() ends} it.
     */
    Flux<WebSocketMessage> receiveFragments();

    /**
     * Writes every message {@code messages} emits (whole messages, or runs of fragments), taking ownership of each.
     * Lazy: nothing happens until subscribed. Completes when all were handed to the connection; fails if the session
     * closes first, or for a message the wire format cannot carry (binary on Hixie-76). A publisher that ends in the
     * middle of a fragmented message fails its send, and the message is ended with an empty final fragment.
     * Text payloads are sent as given: they must be valid UTF-8.
     */
    Mono<Void> send(Publisher<? extends WebSocketMessage> messages);

    /**
     * Starts the closing handshake with {@code status}; idempotent (only the first close is sent) and non-blocking.
     *
     * @throws IllegalArgumentException for a status that may not be sent (1005, 1006, 1015, unassigned codes)
     */
    void close(CloseStatus status);

    /** {@link #close(CloseStatus)} with 1000, normal closure. */
    default void close() {
        close(CloseStatus.NORMAL);
    }

    /** Emits, once the session has ended, the close status received from the peer (see the class comment). */
    Mono<CloseStatus> closeStatus();

    /**
     * Emits, once the session has ended, the status this end sent in its close frame (a protocol error's code when
     * it failed the connection), or completes empty if it sent none or an empty one. On Hixie-76, whose close frame
     * carries no status, the status this end closed with.
     */
    Mono<CloseStatus> closeStatusSent();

    /** The agreed subprotocol, or {@code null}. */
    String subprotocol();

    WebSocketRole role();

    WebSocketVersion version();

    /** The agreed permessage-deflate parameters, or {@code null}. */
    PerMessageDeflate perMessageDeflate();

    /** The connection's id, addresses and attributes. */
    ConnectionInfo info();

    /** The connection's budget allocator, for message payloads. */
    ByteBufAllocator allocator();
}
