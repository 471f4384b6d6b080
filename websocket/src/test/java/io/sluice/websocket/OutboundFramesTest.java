package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.frame.Rfc6455FrameWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The sending side on its own: a message handed over while the drain loop is idle (the fast path) still waits for
 * the connection's demand, and is released when its send is cancelled or the stream stopped before it went out.
 */
class OutboundFramesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final AtomicInteger terminated = new AtomicInteger();
    private ByteBufAllocator alloc;
    private OutboundFrames frames;

    @BeforeEach
    void setUp() {
        alloc = SluiceTest.allocator();
        frames = new OutboundFrames(new Rfc6455FrameWriter(alloc, false, () -> 0), null, 0, "test",
                terminated::incrementAndGet);
    }

    private WebSocketMessage binary(int b) {
        return WebSocketMessage.binary(alloc, new byte[] {(byte) b});
    }

    /** Emits {@code m}; when the sink refuses it, the caller still owns it and releases it. */
    private static boolean emitOrRelease(Sinks.Many<WebSocketMessage> sink, WebSocketMessage m) {
        if (sink.tryEmitNext(m).isSuccess()) {
            return true;
        }
        m.release();
        return false;
    }

    private static String hexAndRelease(ByteBuf frame) {
        try {
            return ByteBufUtil.hexDump(frame);
        } finally {
            frame.release();
        }
    }

    /**
     * Starts a send, which asks its source for a message once the connection asks for a frame; then uses that frame
     * up with a pong, so that the message the source sends next is handed over to an idle loop with no demand.
     */
    private StepVerifier.Step<String> sendWaitingForDemand(Sinks.Many<WebSocketMessage> source,
            Disposable[] send, AtomicInteger failed) {
        return StepVerifier.create(frames.map(OutboundFramesTest::hexAndRelease), 0)
                .expectSubscription()
                .then(() -> send[0] = frames.send(source.asFlux()).subscribe(null, e -> failed.incrementAndGet()))
                .thenRequest(1)
                .then(() -> frames.queuePong(alloc.buffer(1).writeByte(0x70)))
                .expectNext("8a0170")
                .then(() -> assertThat(emitOrRelease(source, binary(1))).isTrue())
                .expectNoEvent(Duration.ofMillis(50));
    }

    @Test
    void sendsAMessageHandedOverOnlyWhenTheConnectionAsksForAFrame() {
        Sinks.Many<WebSocketMessage> source = Sinks.many().unicast().onBackpressureBuffer();
        AtomicInteger failed = new AtomicInteger();
        sendWaitingForDemand(source, new Disposable[1], failed)
                .thenRequest(1)
                .expectNext("820101")
                .then(() -> source.tryEmitNext(binary(2)))
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(5)
                .expectNext("820102")
                .then(() -> source.tryEmitNext(binary(3))) // handed over to an idle loop, with demand
                .expectNext("820103")
                .then(() -> source.tryEmitComplete())
                .then(frames::stop)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(failed).hasValue(0);
        assertThat(terminated).hasValue(1);
    }

    @Test
    void releasesAMessageHandedOverWhenItsSendIsCancelledBeforeItWentOut() {
        Sinks.Many<WebSocketMessage> source = Sinks.many().unicast().onBackpressureBuffer();
        AtomicInteger failed = new AtomicInteger();
        Disposable[] send = new Disposable[1];
        sendWaitingForDemand(source, send, failed)
                .then(() -> send[0].dispose()) // no demand: the loop cannot end the send yet, and holds the message
                .then(frames::stop)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(failed).as("a cancelled send hears nothing").hasValue(0);
        assertThat(emitOrRelease(source, binary(2))).as("the source was cancelled").isFalse();
    }

    @Test
    void releasesAMessageHandedOverWhenTheStreamStopsBeforeItWentOut() {
        Sinks.Many<WebSocketMessage> source = Sinks.many().unicast().onBackpressureBuffer();
        AtomicInteger failed = new AtomicInteger();
        sendWaitingForDemand(source, new Disposable[1], failed)
                .then(frames::stop)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(failed).as("the send fails: its message never went out").hasValue(1);
        assertThat(emitOrRelease(source, binary(2))).as("the source was cancelled").isFalse();
        assertThat(terminated).hasValue(1);
    }

    @Test
    void releasesAMessageHandedOverWhenTheConnectionCancels() {
        Sinks.Many<WebSocketMessage> source = Sinks.many().unicast().onBackpressureBuffer();
        AtomicInteger failed = new AtomicInteger();
        sendWaitingForDemand(source, new Disposable[1], failed)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(failed).as("the send fails: its message never went out").hasValue(1);
        assertThat(terminated).hasValue(1);
    }
}
