package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.ServerHandshakeTest.RFC_SAMPLE;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Chunking;
import io.sluice.test.FaultSweep;
import io.sluice.test.StepFault;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cancelling or failing any stream of a handshake at any step (the inbound bytes, the response sent, the bytes after
 * the head, the peer's writes, the handshake itself) leaves no buffer behind and both ends closed.
 */
class FaultAtEveryStepTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TAIL = "frames after the head".repeat(4);
    private static final ServerHandshake SERVER = ServerHandshake.builder().subprotocols("chat")
            .timeout(Duration.ofMillis(300)).build();

    /** {@code lower} with its inbound stream broken by {@code fault}. */
    private static Connection faultyReceive(Connection lower, StepFault fault) {
        return new ConnectionLayer(lower) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().transform(fault.operator());
            }
        };
    }

    /** {@code lower} with every outbound stream broken by {@code fault}. */
    private static Connection faultySend(Connection lower, StepFault fault) {
        return new ConnectionLayer(lower) {
            @Override
            public Mono<Void> send(Publisher<? extends ByteBuf> data) {
                return lower.send(Flux.<ByteBuf>from(data).transform(fault.operator()));
            }
        };
    }

    private static Mono<Void> write(Connection c, String text) {
        return c.send(Mono.fromCallable(() -> WirePipe.buffer(c, text))).onErrorResume(e -> Mono.empty());
    }

    /** Reads and drops whatever arrives, until the end. */
    private static void drain(Connection c) {
        c.receive().subscribe(ByteBuf::release, e -> { });
    }

    private static void finish(HandshakeResult result) {
        if (result != null) {
            drain(result.connection());
            result.connection().close();
        }
    }

    @Test
    void aFaultInTheServersInboundBytesAtAnyStepLeavesNothingBehind() {
        FaultSweep.steps(30).chunking(Chunking.atMost(8)).run((fault, pipe) -> {
            drain(pipe.left());
            write(pipe.left(), RFC_SAMPLE + TAIL).subscribe();
            finish(SERVER.accept(faultyReceive(pipe.right(), fault)).block(WAIT));
        });
    }

    @Test
    void aFaultInTheBytesAfterTheHeadAtAnyStepLeavesNothingBehind() {
        FaultSweep.steps(12).chunking(Chunking.atMost(8)).run((fault, pipe) -> {
            drain(pipe.left());
            write(pipe.left(), RFC_SAMPLE).then(write(pipe.left(), TAIL)).subscribe();
            HandshakeResult result = SERVER.accept(pipe.right()).block(WAIT);
            result.connection().receive().transform(fault.operator()).subscribe(ByteBuf::release, e -> { });
            result.connection().close();
        });
    }

    @Test
    void aFaultInTheServersResponseLeavesNothingBehind() {
        FaultSweep.steps(1).run((fault, pipe) -> {
            drain(pipe.left());
            write(pipe.left(), RFC_SAMPLE + TAIL).subscribe();
            finish(SERVER.accept(faultySend(pipe.right(), fault)).block(WAIT));
        });
    }

    @Test
    void aRefusalWithAFaultInItsAnswerLeavesNothingBehind() {
        FaultSweep.steps(1).run((fault, pipe) -> {
            drain(pipe.left());
            write(pipe.left(), RFC_SAMPLE.replace("Host:", "Hos:") + TAIL).subscribe();
            finish(SERVER.accept(faultySend(pipe.right(), fault)).block(WAIT));
        });
    }

    @Test
    void aPeerWhoseRequestBreaksOffAtAnyStepLeavesNothingBehind() {
        FaultSweep.steps(25).chunking(Chunking.atMost(8)).run((fault, pipe) -> {
            drain(pipe.left());
            Flux<ByteBuf> pieces = Flux.range(0, (RFC_SAMPLE.length() + 7) / 8)
                    .map(i -> WirePipe.buffer(pipe.left(),
                            RFC_SAMPLE.substring(i * 8, Math.min(RFC_SAMPLE.length(), i * 8 + 8))));
            pipe.left().send(pieces.transform(fault.operator())).onErrorResume(e -> Mono.empty())
                    .then(Mono.fromRunnable(pipe.left()::shutdownOutput)).subscribe();
            finish(SERVER.accept(pipe.right()).block(WAIT));
        });
    }

    @Test
    void cancellingTheHandshakeAtAnyStepClosesTheConnectionAndLeavesNothingBehind() {
        FaultSweep.steps(25).kinds(FaultSweep.Kind.CANCEL).chunking(Chunking.atMost(8)).run((fault, pipe) -> {
            drain(pipe.left());
            Disposable handshake = SERVER.accept(faultyReceive(pipe.right(), new StepFault(FaultSweep.Kind.CANCEL,
                    Integer.MAX_VALUE))).subscribe(FaultAtEveryStepTest::finish);
            Flux<ByteBuf> pieces = Flux.range(0, (RFC_SAMPLE.length() + 7) / 8)
                    .map(i -> WirePipe.buffer(pipe.left(),
                            RFC_SAMPLE.substring(i * 8, Math.min(RFC_SAMPLE.length(), i * 8 + 8))))
                    .take(fault.step());
            pipe.left().send(pieces).onErrorResume(e -> Mono.empty()).block(WAIT);
            handshake.dispose();
        });
    }

    @Test
    void aFaultInTheClientsInboundBytesAtAnyStepLeavesNothingBehind() {
        ClientHandshake client = ClientHandshake.builder("ws://server.example.com/chat").subprotocols("chat")
                .timeout(Duration.ofMillis(300)).build();
        FaultSweep.steps(25).chunking(Chunking.atMost(6)).run((fault, pipe) -> {
            SERVER.accept(pipe.right()).subscribe(result -> {
                write(result.connection(), TAIL).subscribe();
                drain(result.connection());
            }, e -> { });
            try {
                finish(client.connect(faultyReceive(pipe.left(), fault)).block(WAIT));
            } catch (RuntimeException expected) {
                // a broken response fails the handshake (or passes the injected error on); the sweep checks the rest
            }
        });
    }

    @Test
    void aFaultInTheClientsRequestLeavesNothingBehind() {
        ClientHandshake client = ClientHandshake.builder("ws://server.example.com/chat").build();
        FaultSweep.steps(1).run((fault, pipe) -> {
            SERVER.accept(pipe.right()).subscribe(FaultAtEveryStepTest::finish, e -> { });
            try {
                finish(client.connect(faultySend(pipe.left(), fault)).block(WAIT));
            } catch (RuntimeException expected) {
                // the injected fault or a timeout
            }
        });
    }
}
