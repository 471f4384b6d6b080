package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.TIMEOUT;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * Every failure closes the connection with the engine's alert where it made one, one WARN line naming the
 * connection and the cause, the error visible to the application, and nothing left behind, on every provider.
 *
 * <p>What differs between providers, and is therefore not asserted: the text of the errors and which alert is sent.
 * Answering bytes that are not TLS at all, the JDK sends an {@code internal_error} alert, Bouncy Castle and OpenSSL
 * nothing (Bouncy Castle sends no alert before a protocol version is agreed; Netty's OpenSSL engine refuses the
 * bytes before BoringSSL sees them). To a malformed ClientHello the JDK and OpenSSL answer {@code decode_error},
 * Bouncy Castle nothing. Bytes {@code 00 ff ...} start an SSLv2 record for OpenSSL, which waits for the rest: the
 * handshake timeout ends that connection where the others fail at once.
 */
class FailureTest {

    private final TestLogger log = new TestLogger(false);

    @BeforeEach
    void captureLogs() {
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(log);
    }

    @AfterEach
    void stopCapture() {
        LoggerUtils.disableCapture();
    }

    /** The WARN lines logged so far, without the level prefix. */
    private List<String> warnings() {
        return log.getErrContent().lines()
                .filter(l -> l.startsWith("[ WARN]"))
                .map(l -> l.substring("[ WARN] ".length()))
                .toList();
    }

    /** One WARN line per side, each naming its connection and a failed handshake. */
    private void assertOneWarningEach(String... connections) {
        List<String> warnings = warnings();
        assertThat(warnings).as("WARN lines").hasSize(connections.length);
        for (String connection : connections) {
            assertThat(warnings).as("WARN lines").anySatisfy(w -> assertThat(w)
                    .startsWith("connection " + connection + ": TLS handshake failed, closing: "));
        }
    }

    /** The engine judged the handshake failed (not a connection that merely ended). */
    private static final Consumer<Throwable> ENGINE_FAILURE = e -> assertThat(e)
            .isInstanceOf(TlsHandshakeException.class)
            .hasMessageStartingWith("TLS handshake failed: ")
            .cause().isInstanceOf(SSLException.class);

    private static void bothFailTheHandshake(TlsPipe p) {
        Mono<Void> waitingSend = p.client.send(Mono.just(TlsPipe.buffer(p.client, "hi".getBytes(US_ASCII)))).cache();
        waitingSend.subscribe(null, e -> { });
        StepVerifier.create(p.client.receive()).expectErrorSatisfies(ENGINE_FAILURE).verify(TIMEOUT);
        StepVerifier.create(p.server.receive()).expectErrorSatisfies(ENGINE_FAILURE).verify(TIMEOUT);
        StepVerifier.create(waitingSend).expectError(TlsHandshakeException.class).verify(TIMEOUT);
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    private void refused(TlsProvider serverProvider, TlsProvider clientProvider,
            UnaryOperator<TlsOptions.Builder> server, UnaryOperator<TlsOptions.Builder> client) {
        try (ProviderEngines engines = new ProviderEngines(new ProviderPair(serverProvider, clientProvider))) {
            bothFailTheHandshake(TlsPipe.create(Chunking.whole(), engines.client(client), engines.server(server),
                    TlsDriverSettings.defaults()));
        }
        assertOneWarningEach("pipe-left", "pipe-right");
    }

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void aCertificateFromAnUnknownCaFailsBothSides(TlsProvider serverProvider, TlsProvider clientProvider) {
        refused(serverProvider, clientProvider, s -> s.keyMaterial(Fixtures.pem("untrusted")), c -> c);
    }

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void anExpiredCertificateFailsBothSides(TlsProvider serverProvider, TlsProvider clientProvider) {
        refused(serverProvider, clientProvider, s -> s.keyMaterial(Fixtures.pem("expired")), c -> c);
    }

    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("io.sluice.filters.tls.Fixtures#providerPairs")
    void aClientWithoutACertificateIsRefusedWhenTheServerRequiresOne(TlsProvider serverProvider,
            TlsProvider clientProvider) {
        refused(serverProvider, clientProvider, s -> s.clientAuth(ClientAuth.REQUIRE).trust(Fixtures.CA),
                c -> c.protocols("TLSv1.2"));
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void plaintextHttpSentToTheServerClosesItWithOneWarning(TlsProvider provider) {
        answerToBytes(provider, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII),
                Chunking.whole(), TlsDriverSettings.defaults());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void garbageThatLooksLikeAHandshakeRecordClosesTheServerWithOneWarning(TlsProvider provider) {
        // A handshake record (22, TLS 1.2, 8 bytes) holding a "ClientHello" of nonsense, delivered byte by byte.
        answerToBytes(provider, HexFormat.of().parseHex("1603030008" + "01000004deadbeef"), Chunking.everyByte(),
                TlsDriverSettings.defaults());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void bytesThatCannotStartATlsRecordCloseTheServerWithOneWarning(TlsProvider provider) {
        answerToBytes(provider, new byte[] {0, (byte) 0xff, 1, 2, 3, 4, 5, 6}, Chunking.whole(),
                TlsDriverSettings.defaults().withHandshakeTimeout(Duration.ofMillis(500)));
    }

    /**
     * A server on {@code provider} fed {@code bytes}: its receive fails with a handshake error, it answers with an
     * alert or nothing, logs one WARN line and closes.
     */
    private void answerToBytes(TlsProvider provider, byte[] bytes, Chunking chunking, TlsDriverSettings settings) {
        try (ProviderEngines engines = new ProviderEngines(new ProviderPair(provider, TlsProvider.JDK))) {
            Pipe pipe = TrackedPipes.create(chunking);
            Connection server = Tls.over(engines.server(s -> s), settings).apply(pipe.right());
            Mono<byte[]> answer = TlsPipe.gather(pipe.left().receive()).cache();
            answer.subscribe();
            send(pipe.left(), bytes);
            StepVerifier.create(server.receive()).expectError(TlsHandshakeException.class).verify(TIMEOUT);
            pipe.right().onClose().block(TIMEOUT);
            byte[] wire = answer.block(TIMEOUT);
            if (wire.length > 0) {
                assertThat(wire).as("one fatal alert record, in the clear").hasSize(7).startsWith(21, 3);
                assertThat(wire[5]).as("fatal").isEqualTo((byte) 2);
            }
            closeAndAwait(pipe);
        }
        assertOneWarningEach("pipe-right");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aServerWhosePeerNeverSpeaksTimesOutWithAClearLine(TlsProvider provider) {
        try (ProviderEngines engines = new ProviderEngines(new ProviderPair(provider, TlsProvider.JDK))) {
            Pipe pipe = TrackedPipes.create();
            TlsDriverSettings settings = TlsDriverSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300));
            Connection server = Tls.over(engines.server(s -> s), settings).apply(pipe.right());
            TlsPipe.gather(pipe.left().receive()).subscribe();
            StepVerifier.create(server.receive())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TlsHandshakeException.class)
                            .hasMessage("TLS handshake not completed within 300 ms"))
                    .verify(TIMEOUT);
            pipe.right().onClose().block(TIMEOUT);
            closeAndAwait(pipe);
        }
        assertThat(warnings()).containsExactly("connection pipe-right: TLS handshake failed, closing: "
                + "io.sluice.filters.tls.TlsHandshakeException: TLS handshake not completed within 300 ms");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aClientWhosePeerReadsButNeverAnswersTimesOut(TlsProvider provider) {
        try (ProviderEngines engines = new ProviderEngines(new ProviderPair(TlsProvider.JDK, provider))) {
            Pipe pipe = TrackedPipes.create();
            TlsDriverSettings settings = TlsDriverSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300));
            Connection client = Tls.over(engines.client(c -> c), settings).apply(pipe.left());
            Mono<byte[]> heard = TlsPipe.gather(pipe.right().receive()).cache();
            heard.subscribe();
            StepVerifier.create(client.receive()).expectError(TlsHandshakeException.class).verify(TIMEOUT);
            pipe.left().onClose().block(TIMEOUT);
            byte[] wire = heard.block(TIMEOUT);
            assertThat(wire[0]).as("a ClientHello first").isEqualTo((byte) 22);
            closeAndAwait(pipe);
        }
        assertThat(warnings()).singleElement().asString().contains("TLS handshake not completed within 300 ms");
    }

    private static void send(Pipe.End end, byte[] bytes) {
        ByteBuf buf = end.budget().allocator().buffer(bytes.length).writeBytes(bytes);
        end.send(Flux.just(buf)).block(TIMEOUT);
    }

    private static void closeAndAwait(Pipe pipe) {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }
}
