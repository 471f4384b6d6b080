package io.sluice.samples;

import io.netty.buffer.ByteBuf;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One WebSocket session of the load generator, in a closed loop like {@link EchoLoop}: keeps {@code pipeline}
 * binary messages in flight, and each time a whole message comes back, records the round trip of the oldest one
 * in flight and sends the next. Unlike TCP, WebSocket keeps message boundaries, so echoes are matched one message
 * to one message; a message of another size than the one sent is counted as a failure.
 *
 * <p>The session gets one long-lived {@code send}, fed by a unicast sink; after the first few, every message is
 * emitted from the receive callback, on the session's event loop, so emissions never overlap.
 *
 * <p>Buffers: each message's payload is allocated from the session's {@linkplain WebSocketSession#allocator()
 * budget} and handed to {@code send}, which owns it from then on; each echoed message is checked and released here.
 */
final class WebSocketEchoLoop {

    private final WebSocketSession session;
    private final LoadMeter meter;
    private final byte[] payload;
    private final int pipeline;
    private final Sinks.Many<WebSocketMessage> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Empty<Void> drained = Sinks.empty();
    private final TimestampRing inFlight;
    private volatile boolean stopping;
    private Disposable receiving;

    WebSocketEchoLoop(WebSocketSession session, LoadMeter meter, byte[] payload, int pipeline) {
        this.session = session;
        this.meter = meter;
        this.payload = payload;
        this.pipeline = pipeline;
        this.inFlight = new TimestampRing(pipeline);
    }

    void start() {
        for (int i = 0; i < pipeline; i++) {
            sendNext();
        }
        receiving = session.receive().subscribe(this::onEcho, this::onReceiveError, this::onReceiveComplete);
        session.send(outbound.asFlux().doOnDiscard(WebSocketMessage.class, WebSocketMessage::release))
                .subscribe(null, this::onSendError);
    }

    /** Sends nothing new; the returned Mono completes once every message in flight has come back. */
    Mono<Void> stop() {
        stopping = true;
        if (inFlight.size() == 0) {
            drained.tryEmitEmpty();
        }
        return drained.asMono();
    }

    /** Ends the send stream and runs the closing handshake (1000); completes once the session has ended. */
    Mono<Void> close() {
        outbound.tryEmitComplete();
        session.close();
        return session.closeStatus().then().doFinally(signal -> receiving.dispose());
    }

    private void onEcho(WebSocketMessage message) {
        int n = message.payload().readableBytes();
        message.release();
        long now = System.nanoTime();
        if (inFlight.size() == 0 || n != payload.length) {
            meter.failed(new IllegalStateException("unexpected message of " + n + " bytes on "
                    + session.info().id() + ": the server is not an echo server"));
            session.close();
            return;
        }
        meter.completed(now - inFlight.take());
        sendNext();
    }

    private void sendNext() {
        if (stopping) {
            if (inFlight.size() == 0) {
                drained.tryEmitEmpty();
            }
            return;
        }
        ByteBuf bytes = session.allocator().directBuffer(payload.length);
        bytes.writeBytes(payload);
        inFlight.add(System.nanoTime());
        WebSocketMessage message = WebSocketMessage.binary(bytes);
        if (outbound.tryEmitNext(message).isFailure()) {
            message.release();
        }
    }

    private void onReceiveError(Throwable error) {
        if (!stopping) {
            meter.failed(error);
        }
        drained.tryEmitEmpty();
    }

    private void onReceiveComplete() {
        if (!stopping) {
            meter.failed(new IllegalStateException("the server ended session " + session.info().id() + " mid-run"));
        }
        drained.tryEmitEmpty();
    }

    private void onSendError(Throwable error) {
        if (!stopping) {
            meter.failed(error);
        }
    }
}
