package io.sluice.samples;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One connection of the load generator, in a closed loop: keeps {@code pipeline} messages in flight, and each time
 * the echo of the oldest has fully come back, records its round trip and sends the next.
 *
 * <p>The connection gets one long-lived {@code send}, fed by a unicast sink, rather than one send per message, so
 * that the generator's own cost per message stays small next to the server's. Unpaced, every message after the
 * first few is emitted from the receive callback, on the connection's event loop; paced, every one is emitted from
 * the single pacer thread. Either way emissions never overlap.
 *
 * <p>Echoes are matched by byte count, never by buffer: neither TCP nor a compressed stream keeps message
 * boundaries, so one echoed buffer may hold the end of one message and the start of the next, or a fraction of one.
 *
 * <p>Buffers: each message is allocated from the connection's budget and handed to {@code send}, which owns it from
 * then on; each echoed buffer is counted and released here.
 */
final class EchoLoop {

    private final Connection connection;
    private final LoadMeter meter;
    private final byte[] payload;
    private final int pipeline;
    private final Scheduler pacer;
    private final long intervalNanos;
    private final Sinks.Many<ByteBuf> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Empty<Void> drained = Sinks.empty();
    private final TimestampRing inFlight;
    private volatile boolean stopping;
    private Disposable receiving;
    /** Bytes of the oldest message in flight still to come back; receive side only. */
    private int remaining;
    /** When the next paced message is due; receive side only (and the starting thread, before any echo). */
    private long nextDue;

    /**
     * @param pacer null to send as fast as echoes return; otherwise the thread that sends every message, one each
     *              {@code intervalNanos} at most
     */
    EchoLoop(Connection connection, LoadMeter meter, byte[] payload, int pipeline, Scheduler pacer,
            long intervalNanos) {
        this.connection = connection;
        this.meter = meter;
        this.payload = payload;
        this.pipeline = pipeline;
        this.pacer = pacer;
        this.intervalNanos = intervalNanos;
        this.inFlight = new TimestampRing(pipeline);
        this.remaining = payload.length;
    }

    void start(long offsetNanos) {
        nextDue = System.nanoTime() + offsetNanos;
        for (int i = 0; i < pipeline; i++) {
            sendNext();
        }
        receiving = connection.receive().subscribe(this::onEcho, this::onReceiveError, this::onReceiveComplete);
        connection.send(outbound.asFlux().doOnDiscard(ByteBuf.class, ByteBuf::release))
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

    /** Stops reading, ends the send stream and closes the connection; completes once it is closed. */
    Mono<Void> close() {
        // Every echo the loop waited for is in (or the drain gave up on it). Reading on would only see the
        // connection end under it: with compression, before the server's end of stream arrives, a truncation.
        receiving.dispose();
        outbound.tryEmitComplete();
        connection.close();
        return connection.onClose();
    }

    private void onEcho(ByteBuf buf) {
        int n = buf.readableBytes();
        buf.release();
        long now = System.nanoTime();
        while (n > 0) {
            if (n < remaining) {
                remaining -= n;
                return;
            }
            n -= remaining;
            remaining = payload.length;
            if (inFlight.size() == 0) {
                meter.failed(new IllegalStateException("more bytes came back than were sent on "
                        + connection.info().id() + ": the server is not an echo server"));
                connection.close();
                return;
            }
            meter.completed(now - inFlight.take());
            sendNext();
        }
    }

    private void sendNext() {
        if (stopping) {
            if (inFlight.size() == 0) {
                drained.tryEmitEmpty();
            }
            return;
        }
        if (pacer == null) {
            emit(System.nanoTime());
            return;
        }
        long due = nextDue;
        nextDue += intervalNanos;
        long delay = Math.max(0, due - System.nanoTime());
        // Latency counts from when the message was due, so a server that falls behind the rate is charged for it.
        pacer.schedule(() -> {
            if (stopping) {
                if (inFlight.size() == 0) {
                    drained.tryEmitEmpty();
                }
            } else {
                emit(due);
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void emit(long sentAt) {
        ByteBuf message = connection.budget().allocator().directBuffer(payload.length);
        message.writeBytes(payload);
        inFlight.add(sentAt);
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
            meter.failed(new IllegalStateException("the server closed connection " + connection.info().id()
                    + " mid-run"));
        }
        drained.tryEmitEmpty();
    }

    private void onSendError(Throwable error) {
        if (!stopping) {
            meter.failed(error);
        }
    }
}
