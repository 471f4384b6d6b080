package io.sluice.api;

import io.netty.buffer.ByteBuf;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One bidirectional byte stream: a socket, an in-memory pipe, or a layer of either produced by a {@link Filter}.
 *
 * <h2>Buffer ownership</h2>
 * <ul>
 *   <li>{@link #receive()} hands each emitted {@link ByteBuf} to its subscriber: the subscriber owns it and must
 *       release it exactly once (or pass it on, which passes the ownership).</li>
 *   <li>{@link #send(Publisher)} takes ownership of every buffer its publisher emits, including buffers still in
 *       flight when the send is cancelled or the connection closes; the caller must not touch them afterwards.</li>
 *   <li>Buffers should be allocated from {@link #budget()}, so that every byte the connection holds is accounted to it.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Signals of one connection are delivered serially. Implementations never block and never hold a lock while
 * calling user code.
 */
public interface Connection {

    /**
     * The inbound bytes. There is a single subscriber; a second subscription fails with {@link IllegalStateException}.
     * Demand drives reading: nothing is read from the peer while there is no demand, or while {@link #budget()} is
     * exhausted. The flux completes when the peer closes its side, and errors on a reset or a protocol failure.
     * Cancelling stops delivery: later inbound bytes are released as they arrive.
     */
    Flux<ByteBuf> receive();

    /**
     * Writes every buffer {@code data} emits, in order, taking ownership of each. The returned {@link Mono} is lazy:
     * nothing is written until it is subscribed. It completes when {@code data} completed and all its buffers were
     * handed to the transport, and errors when the connection closes or fails first. Sends subscribed one after
     * another are written in the order they were subscribed.
     */
    Mono<Void> send(Publisher<? extends ByteBuf> data);

    /** Starts closing the connection; idempotent and non-blocking. Use {@link #onClose()} to learn when it is done. */
    void close();

    /**
     * Completes once the connection is closed, all its operators terminated and its buffer account checked.
     * No signal of this connection is delivered after it completes. A connection whose peer closed is finished
     * only when its application is done with it too: on a server, when the handler terminates; on a client, when
     * {@link #receive()} was read to its end or cancelled, or {@link #close()} was called. Until then, bytes that
     * arrived before the peer's close stay deliverable.
     */
    Mono<Void> onClose();

    /**
     * Completes once the connection's layers are ready for the application, and errors if one of them refused the
     * connection (having logged why and closed it). Most are ready at once; a layer that must read something before
     * the application may see the connection (the PROXY protocol's header, which changes {@link #info()}'s
     * addresses) completes it once that has arrived. A server starts its handler only then.
     *
     * <p>The default is ready at once; a layer passes on its lower connection's, completing its own after it.
     */
    default Mono<Void> ready() {
        return Mono.empty();
    }

    /** Addresses, id and attributes (TLS session, ALPN protocol, negotiated extensions). */
    ConnectionInfo info();

    /** This connection's allocator and memory account. */
    BufferBudget budget();
}
