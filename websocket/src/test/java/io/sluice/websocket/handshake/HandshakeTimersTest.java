package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.Answers.refusal;
import static io.sluice.websocket.handshake.ServerHandshakeTest.RFC_SAMPLE;
import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.test.ReactorSchedulingWatch;
import io.sluice.test.TestEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * The handshakes' timeouts run on the event loop the handshake was started on, the connection's: they fire there,
 * and a handshake that completes there cancels its timer there, without handing anything to Reactor's parallel
 * scheduler (whose cancellation takes its executor's queue lock). BlockHound, on in every test, fails a test whose
 * loop blocks. Each handshake is started on a Netty event loop, as the runtime starts it, over a pipe.
 */
class HandshakeTimersTest {

    private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");

    @RegisterExtension
    final TestEventLoop loop = TestEventLoop.start();

    @Test
    void aServerHandshakeTimesOutOnItsEventLoop() throws Exception {
        ServerHandshake impatient = ServerHandshake.builder().timeout(Duration.ofMillis(100)).build();
        WirePipe wire = WirePipe.whole();
        List<String> answeredOn = new CopyOnWriteArrayList<>();
        CompletableFuture<String> answer = wire.peer.receive()
                .doOnNext(b -> answeredOn.add(Thread.currentThread().getName()))
                .map(WirePipe::textAndRelease)
                .collect(StringBuilder::new, StringBuilder::append)
                .map(StringBuilder::toString)
                .toFuture();
        CompletableFuture<HandshakeResult> outcome = loop.call(() -> impatient.accept(wire.local).toFuture());
        wire.peerWrites(RFC_SAMPLE.substring(0, 50)); // and nothing more

        assertThat(outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isNull();
        assertThat(answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(refusal(408, "no complete request head within 100 ms"));
        assertThat(answeredOn).as("threads the 408 was written on").isNotEmpty().containsOnly(loop.threadName());
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void aServerHandshakeCompletedOnItsEventLoopCancelsItsTimersThere() throws Exception {
        ServerHandshake server = ServerHandshake.builder().subprotocols("chat").build();
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        try (ReactorSchedulingWatch watch = ReactorSchedulingWatch.on(loop.thread())) {
            HandshakeResult result = loop.call(() -> {
                CompletableFuture<HandshakeResult> outcome = server.accept(wire.local).toFuture();
                wire.peerWrites(RFC_SAMPLE); // arrives on the loop: the head, the 101 and both timers' ends too
                return outcome;
            }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            loop.call(() -> {
                result.connection().close();
                return null;
            });

            assertThat(result.subprotocol()).isEqualTo("chat");
            assertThat(answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).startsWith("HTTP/1.1 101 ");
            assertThat(watch.scheduled()).as("tasks the loop gave Reactor's schedulers").isEmpty();
        }
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void aClientHandshakeTimesOutOnItsEventLoop() throws Exception {
        ClientHandshake impatient = ClientHandshake.builder("ws://a.example/").timeout(Duration.ofMillis(100)).build();
        WirePipe wire = WirePipe.whole();
        wire.peerReader();
        CompletableFuture<String> failedOn = new CompletableFuture<>();
        loop.call(() -> impatient.connect(wire.local).subscribe(
                result -> failedOn.completeExceptionally(new AssertionError("a result: " + result)),
                error -> failedOn.complete(Thread.currentThread().getName() + ": " + error.getMessage())));

        assertThat(failedOn.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(loop.threadName() + ": no handshake response within 100 ms");
        StepVerifier.create(wire.local.onClose()).expectComplete().verify(TIMEOUT);
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void aClientHandshakeAnsweredOnItsEventLoopCancelsItsTimerThere() throws Exception {
        ClientHandshake client = ClientHandshake.builder("ws://server.example.com/chat").build();
        WirePipe wire = WirePipe.whole();
        WirePipe.PeerReader server = wire.peerReader();
        try (ReactorSchedulingWatch watch = ReactorSchedulingWatch.on(loop.thread())) {
            CompletableFuture<HandshakeResult> outcome = loop.call(() -> client.connect(wire.local).toFuture());
            Matcher key = KEY.matcher(server.awaitHead(0));
            assertThat(key.find()).isTrue();
            loop.call(() -> {
                wire.peerWrites("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + AcceptKey.accept(key.group(1)) + "\r\n\r\n");
                return null;
            });
            HandshakeResult result = outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            loop.call(() -> {
                result.connection().close();
                return null;
            });

            assertThat(result.response().status()).isEqualTo(101);
            assertThat(watch.scheduled()).as("tasks the loop gave Reactor's schedulers").isEmpty();
        }
        wire.closeAndAssertNothingLeaks();
    }
}
