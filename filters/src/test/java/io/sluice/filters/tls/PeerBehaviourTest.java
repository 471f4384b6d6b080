package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.TIMEOUT;
import static io.sluice.filters.tls.TlsPipe.buffer;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionResetException;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.util.Arrays;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLProtocolException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The driver, on every provider, against a hand-driven JDK peer ({@link ManualPeer}) that does what the driver never
 * does: renegotiate, close without close_notify, stop in the middle of a record.
 */
@ParameterizedClass(name = "{0} driver")
@EnumSource(TlsProvider.class)
class PeerBehaviourTest {

    @AutoClose
    private final ProviderEngines engines;
    private Pipe pipe;

    PeerBehaviourTest(TlsProvider provider) {
        this.engines = new ProviderEngines(new ProviderPair(provider, provider));
    }

    @BeforeEach
    void createPipe() {
        pipe = TrackedPipes.create();
    }

    private Connection server(String protocol) {
        return Tls.over(engines.server(protocol), TlsDriverSettings.defaults()).apply(pipe.right());
    }

    private ManualPeer clientPeer(String protocol) {
        return new ManualPeer(pipe.left(), TestEngines.client().protocols(protocol).engine(
                TestEngines.client().context()));
    }

    /** Reads {@code c} from now on, as the pipe needs a reader to move bytes; replays what it read. */
    private static Flux<String> reading(Connection c) {
        return c.receive().map(PeerBehaviourTest::text).replay().autoConnect(0);
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(US_ASCII);
        } finally {
            b.release();
        }
    }

    private void closeAll() {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    @Test
    void aClientAskingToRenegotiateIsRefusedWithAnAlertAndTheConnectionCloses() throws Exception {
        Connection server = server("TLSv1.2");
        ManualPeer peer = clientPeer("TLSv1.2");
        StepVerifier.Step<String> received = StepVerifier.create(reading(server));
        peer.handshake();
        peer.send("before".getBytes(US_ASCII));
        peer.startRenegotiation(); // an encrypted ClientHello
        received.expectNext("before")
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SSLProtocolException.class)
                        .hasMessageContaining("renegotiation refused"))
                .verify(TIMEOUT);
        // The peer, mid-handshake, reads the driver's close_notify alert as the end of its renegotiation.
        // (JDK 25 puts the alert's name first: "(unexpected_message) Received close_notify during handshake")
        assertThatThrownBy(peer::readToEnd).hasMessageEndingWith("Received close_notify during handshake");
        pipe.right().onClose().block(TIMEOUT);
        closeAll();
    }

    @Test
    void aServerAskingToRenegotiateIsRefusedWithAnAlertAndTheConnectionCloses() throws Exception {
        Connection client = Tls.over(engines.client("TLSv1.2"), TlsDriverSettings.defaults()).apply(pipe.left());
        ManualPeer peer = new ManualPeer(pipe.right(), TestEngines.server().protocols("TLSv1.2")
                .engine(TestEngines.server().context()));
        StepVerifier.Step<String> received = StepVerifier.create(reading(client));
        peer.handshake();
        peer.send("before".getBytes(US_ASCII));
        peer.startRenegotiation(); // a HelloRequest
        received.expectNext("before")
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SSLProtocolException.class)
                        .hasMessageContaining("renegotiation refused"))
                .verify(TIMEOUT);
        // (JDK 25 puts the alert's name first: "(unexpected_message) Received close_notify during handshake")
        assertThatThrownBy(peer::readToEnd).hasMessageEndingWith("Received close_notify during handshake");
        pipe.left().onClose().block(TIMEOUT);
        closeAll();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anEndWithoutCloseNotifyIsATruncationAfterTheDataBeforeIt(String protocol) throws Exception {
        Connection server = server(protocol);
        ManualPeer peer = clientPeer(protocol);
        StepVerifier.Step<String> received = StepVerifier.create(reading(server));
        peer.handshake();
        peer.send("data".getBytes(US_ASCII));
        pipe.left().shutdownOutput(); // no close_notify
        received.expectNext("data")
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TlsTruncationException.class)
                        .hasMessage("TLS truncation: connection pipe-right ended without the peer's close_notify"))
                .verify(TIMEOUT);
        pipe.right().onClose().block(TIMEOUT);
        closeAll();
    }

    @Test
    void aPeersCloseNotifyCompletesReceiveAndOnTls12IsAnsweredAndClosesTheConnection() throws Exception {
        Connection server = server("TLSv1.2");
        ManualPeer peer = clientPeer("TLSv1.2");
        StepVerifier.Step<String> received = StepVerifier.create(reading(server));
        peer.handshake();
        peer.send("last words".getBytes(US_ASCII));
        peer.closeOutbound();
        received.expectNext("last words").verifyComplete();
        assertThat(peer.readToEnd()).as("the answering close_notify").isEqualTo(SSLEngineResult.Status.CLOSED);
        pipe.right().onClose().block(TIMEOUT); // TLS 1.2 closes both ways
        closeAll();
    }

    /**
     * TLS 1.3 lets each side close only its own direction. The JDK's engine keeps its side open after the peer's
     * close_notify; Bouncy Castle's and Netty's OpenSSL engine answer it with their own and close both ways, so a
     * later send fails. Either way receive completes and the connection ends cleanly.
     */
    @Test
    void aPeersCloseNotifyOnTls13CompletesReceiveAndOnlyTheJdkKeepsSending() throws Exception {
        Connection server = server("TLSv1.3");
        ManualPeer peer = clientPeer("TLSv1.3");
        StepVerifier.Step<String> received = StepVerifier.create(reading(server));
        peer.handshake();
        peer.closeOutbound();
        received.verifyComplete();
        Mono<Void> send = server.send(Mono.just(buffer(server, "still here".getBytes(US_ASCII))));
        if (engines.providers.server() == TlsProvider.JDK) {
            send.block(TIMEOUT);
            assertThat(new String(peer.receive(10), US_ASCII)).isEqualTo("still here");
            server.close();
        } else {
            StepVerifier.create(send).expectError(io.sluice.api.ConnectionClosedException.class).verify(TIMEOUT);
        }
        assertThat(peer.readToEnd()).isEqualTo(SSLEngineResult.Status.CLOSED);
        pipe.right().onClose().block(TIMEOUT);
        closeAll();
    }

    /** Netty's OpenSSL engine reports the end of such a handshake only along with the close_notify. */
    @Test
    void aClientsLastHandshakeFlightAndCloseNotifyInOneReadCompleteTheHandshakeAndEndReceive() throws Exception {
        Connection server = server("TLSv1.3");
        ManualPeer peer = clientPeer("TLSv1.3");
        StepVerifier.Step<String> received = StepVerifier.create(reading(server));
        peer.handshakeThenCloseInOneWrite();
        received.verifyComplete();
        assertThat(server.info().attribute(Tls.SESSION)).as("the handshake completed").isPresent();
        server.close();
        assertThat(peer.readToEnd()).isEqualTo(SSLEngineResult.Status.CLOSED);
        pipe.right().onClose().block(TIMEOUT);
        closeAll();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeSendsCloseNotifyAfterTheQueuedSends(String protocol) throws Exception {
        Connection server = server(protocol);
        ManualPeer peer = clientPeer(protocol);
        peer.handshake();
        Flux<ByteBuf> many = Flux.range(0, 50).map(i -> buffer(server, new byte[] {i.byteValue()}));
        server.send(many).subscribe();
        server.send(Mono.just(buffer(server, "end".getBytes(US_ASCII)))).subscribe();
        server.close();
        byte[] expected = new byte[53];
        for (int i = 0; i < 50; i++) {
            expected[i] = (byte) i;
        }
        System.arraycopy("end".getBytes(US_ASCII), 0, expected, 50, 3);
        assertThat(peer.receive(53)).isEqualTo(expected);
        assertThat(peer.readToEnd()).isEqualTo(SSLEngineResult.Status.CLOSED);
        pipe.right().onClose().block(TIMEOUT);
        StepVerifier.create(server.send(Mono.just(buffer(server, new byte[1]))))
                .expectError(io.sluice.api.ConnectionClosedException.class)
                .verify(TIMEOUT);
        closeAll();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aResetInTheMiddleOfARecordReleasesTheHalfHeldAndFailsReceive(String protocol) throws Exception {
        Connection server = server(protocol);
        ManualPeer peer = clientPeer(protocol);
        StepVerifier.Step<String> received = StepVerifier.create(reading(server));
        peer.handshake();
        byte[] record = peer.wrap(new byte[10_000]);
        peer.sendRaw(Arrays.copyOf(record, record.length / 2)); // delivered: the driver holds half a record
        pipe.left().reset();
        received.expectError(ConnectionResetException.class).verify(TIMEOUT);
        pipe.right().onClose().block(TIMEOUT);
        closeAll();
    }

    @Test
    void aResetDuringTheHandshakeFailsReceiveAndTheWaitingSendWithAHandshakeError() throws Exception {
        Connection client = Tls.over(engines.client(c -> c), TlsDriverSettings.defaults()).apply(pipe.left());
        ManualPeer peer = new ManualPeer(pipe.right(), TestEngines.server().engine(TestEngines.server().context()));
        Mono<Void> send = client.send(Mono.just(buffer(client, "hello".getBytes(US_ASCII))));
        StepVerifier.Step<String> received = StepVerifier.create(reading(client));
        Mono<Void> sent = send.cache();
        sent.subscribe(null, e -> { });
        peer.awaitBytes(10); // part of the ClientHello has arrived
        pipe.right().reset();
        received.expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TlsHandshakeException.class)
                .hasCauseInstanceOf(ConnectionResetException.class)).verify(TIMEOUT);
        StepVerifier.create(sent).expectError(TlsHandshakeException.class).verify(TIMEOUT);
        pipe.left().onClose().block(TIMEOUT);
        closeAll();
    }
}
