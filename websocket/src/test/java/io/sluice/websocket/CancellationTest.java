package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.FaultSweep;
import io.sluice.test.StepFault;
import io.sluice.test.TrackedPipes;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Cancellation and errors at every step, in every stream a session touches: the application's sends (whole messages
 * and fragments), its receive, and the connection's inbound bytes. Each run must end both sessions and leave both
 * budgets and the allocator at zero ({@link FaultSweep} checks).
 */
class CancellationTest {

    private static final PerMessageDeflate DEFLATE = new PerMessageDeflate(false, false, 15, 15);

    private static WebSocketSession client(Connection c, PerMessageDeflate deflate) {
        return WebSocketSession.create(c, WebSocketRole.CLIENT, WebSocketVersion.RFC6455, null, deflate,
                WebSocketSettings.builder().closeTimeout(java.time.Duration.ofSeconds(2)).build());
    }

    private static WebSocketSession server(Connection c, PerMessageDeflate deflate) {
        return WebSocketSession.create(c, WebSocketRole.SERVER, WebSocketVersion.RFC6455, null, deflate,
                WebSocketSettings.builder().closeTimeout(java.time.Duration.ofSeconds(2)).build());
    }

    private static WebSocketMessage text(WebSocketSession s, String text) {
        return WebSocketMessage.text(s.allocator(), text);
    }

    private static ByteBuf bytes(WebSocketSession s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return s.allocator().buffer(b.length).writeBytes(b);
    }

    private static void closeBoth(WebSocketSession client, WebSocketSession server) {
        client.close();
        Mono.when(client.closeStatus(), server.closeStatus()).block(TIMEOUT);
    }

    @Test
    void releasesEverythingWhenASendIsCancelledOrFailsAtEveryStep() {
        for (PerMessageDeflate deflate : new PerMessageDeflate[] {null, DEFLATE}) {
            FaultSweep.steps(6).run((fault, pipe) -> {
                WebSocketSession client = client(pipe.left(), deflate);
                WebSocketSession server = server(pipe.right(), deflate);
                server.send(server.receive()).subscribe(null, e -> { });
                client.receive().subscribe(WebSocketMessage::release);
                Flux<WebSocketMessage> messages = Flux.range(0, 5)
                        .map(i -> text(client, "message number " + i + " ".repeat(300)))
                        .transform(fault.operator());
                client.send(messages).onErrorResume(e -> Mono.empty()).block(TIMEOUT);
                closeBoth(client, server);
            });
        }
    }

    @Test
    void endsAFragmentedMessageCutShortAtEveryStep() {
        for (PerMessageDeflate deflate : new PerMessageDeflate[] {null, DEFLATE}) {
            FaultSweep.steps(5).run((fault, pipe) -> {
                WebSocketSession client = client(pipe.left(), deflate);
                WebSocketSession server = server(pipe.right(), deflate);
                AtomicInteger received = new AtomicInteger();
                server.receive().subscribe(m -> {
                    received.incrementAndGet();
                    m.release();
                });
                client.receive().subscribe(WebSocketMessage::release);
                Flux<WebSocketMessage> fragments = Flux.range(0, 4)
                        .map(i -> WebSocketMessage.fragment(WebSocketMessage.Type.TEXT, bytes(client, "part " + i),
                                i == 3))
                        .transform(fault.operator());
                client.send(fragments).onErrorResume(e -> Mono.empty()).block(TIMEOUT);
                // whatever the cut, the next message arrives on its own: the cut one was ended
                client.send(Mono.just(text(client, "next"))).block(TIMEOUT);
                int expected = fault.step() == 0 ? 1 : 2; // at step 0 no fragment went out
                RawPeer.await(() -> received.get() == expected, expected + " message(s)");
                closeBoth(client, server);
            });
        }
    }

    @Test
    void releasesEverythingWhenTheReceiverCancelsOrFailsAtEveryStep() {
        FaultSweep.steps(6).run((fault, pipe) -> {
            WebSocketSession client = client(pipe.left(), DEFLATE);
            WebSocketSession server = server(pipe.right(), DEFLATE);
            server.receive().subscribe(WebSocketMessage::release);
            client.receive().transform(fault.operator()).subscribe(WebSocketMessage::release, e -> { });
            Flux<WebSocketMessage> messages = Flux.range(0, 5).concatMap(i -> Flux.just(
                    WebSocketMessage.fragment(WebSocketMessage.Type.BINARY, bytes(server, "half " + i), false),
                    WebSocketMessage.fragment(WebSocketMessage.Type.BINARY, bytes(server, " and the rest"), true)));
            server.send(messages).block(TIMEOUT);
            closeBoth(client, server);
        });
    }

    @Test
    void endsTheSessionWhenItsConnectionEndsOrFailsAtEveryRead() {
        FaultSweep.steps(40).chunking(Chunking.atMost(5)).run((fault, pipe) -> {
            WebSocketSession client = client(pipe.left(), null);
            WebSocketSession server = server(faulty(pipe.right(), fault), null);
            server.send(server.receive()).subscribe(null, e -> { });
            client.receive().subscribe(WebSocketMessage::release);
            client.send(Flux.range(0, 5).map(i -> text(client, "message " + i))).onErrorResume(e -> Mono.empty())
                    .block(TIMEOUT);
            client.close();
            StepVerifier.create(server.closeStatus()).expectNextCount(1).verifyComplete();
            StepVerifier.create(client.closeStatus()).expectNextCount(1).verifyComplete();
        });
    }

    @Test
    void releasesWhatADisposedSendHadTaken() {
        Pipe pipe = Pipe.create(TrackedPipes.options());
        WebSocketSession client = client(pipe.left(), null);
        WebSocketSession server = server(pipe.right(), null);
        BaseSubscriber<WebSocketMessage> slowReader = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(3);
            }

            @Override
            protected void hookOnNext(WebSocketMessage m) {
                m.release();
            }
        };
        server.receive().subscribe(slowReader); // reads three messages, then nothing: the client's send backs up
        AtomicInteger made = new AtomicInteger();
        Disposable send = client.send(Flux.range(0, 1000).map(i -> {
            made.incrementAndGet();
            return text(client, "x".repeat(4096));
        })).subscribe();
        RawPeer.await(() -> made.get() >= 3, "the send to start");
        send.dispose();
        int madeAtDispose = made.get();
        slowReader.request(Long.MAX_VALUE);
        closeBoth(client, server);
        assertThat(made.get()).isLessThan(1000).isLessThanOrEqualTo(madeAtDispose + 1);
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    /** {@code lower} whose inbound stream is broken by {@code fault}. */
    private static Connection faulty(Connection lower, StepFault fault) {
        return new ConnectionLayer(lower) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().transform(fault.operator());
            }
        };
    }
}
