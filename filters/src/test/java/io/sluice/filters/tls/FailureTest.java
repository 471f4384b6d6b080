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
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * Every failure closes the connection with the engine's alert where it made one, one WARN line naming the
 * connection and the cause, the error visible to the application, and nothing left behind.
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

    private static Consumer<Throwable> handshakeFailure(Class<? extends Throwable> cause, String message) {
        return e -> assertThat(e).isInstanceOf(TlsHandshakeException.class)
                .cause().isInstanceOf(cause).hasMessageContaining(message);
    }

    private static void bothFailTheHandshake(TlsPipe p, Consumer<Throwable> client, Consumer<Throwable> server) {
        Mono<Void> waitingSend = p.client.send(Mono.just(TlsPipe.buffer(p.client, "hi".getBytes(US_ASCII)))).cache();
        waitingSend.subscribe(null, e -> { });
        StepVerifier.create(p.client.receive()).expectErrorSatisfies(client).verify(TIMEOUT);
        StepVerifier.create(p.server.receive()).expectErrorSatisfies(server).verify(TIMEOUT);
        StepVerifier.create(waitingSend).expectErrorSatisfies(client).verify(TIMEOUT);
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @Test
    void aCertificateFromAnUnknownCaFailsBothSidesAndTheClientSaysWhyWithAnAlert() {
        TlsPipe p = TlsPipe.create(Chunking.whole(), TestEngines.client().source(),
                TestEngines.server().certificate("untrusted.pem", "untrusted-key.pem").source(),
                TlsDriverSettings.defaults());
        bothFailTheHandshake(p,
                handshakeFailure(SSLHandshakeException.class, "unable to find valid certification path"),
                handshakeFailure(SSLHandshakeException.class, "Received fatal alert: certificate_unknown"));
        assertThat(warnings()).containsExactlyInAnyOrder(
                "connection pipe-left: TLS handshake failed, closing: javax.net.ssl.SSLHandshakeException: PKIX path "
                        + "building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to "
                        + "find valid certification path to requested target",
                "connection pipe-right: TLS handshake failed, closing: javax.net.ssl.SSLHandshakeException: "
                        + "Received fatal alert: certificate_unknown");
    }

    @Test
    void anExpiredCertificateFailsBothSides() {
        TlsPipe p = TlsPipe.create(Chunking.whole(), TestEngines.client().source(),
                TestEngines.server().certificate("expired.pem", "expired-key.pem").source(),
                TlsDriverSettings.defaults());
        bothFailTheHandshake(p,
                handshakeFailure(SSLHandshakeException.class, "validity check failed"),
                handshakeFailure(SSLHandshakeException.class, "Received fatal alert: certificate_unknown"));
        assertThat(warnings()).hasSize(2).anySatisfy(w -> assertThat(w)
                .startsWith("connection pipe-left: TLS handshake failed, closing: ")
                .contains("CertificateExpiredException"));
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhenTheServerRequiresOne() {
        TlsPipe p = TlsPipe.create(Chunking.whole(), TestEngines.client().protocols("TLSv1.2").source(),
                TestEngines.server().needClientAuth().source(), TlsDriverSettings.defaults());
        bothFailTheHandshake(p,
                handshakeFailure(SSLHandshakeException.class, "Received fatal alert: bad_certificate"),
                handshakeFailure(SSLHandshakeException.class, "Empty client certificate chain"));
        assertThat(warnings()).hasSize(2);
    }

    @Test
    void plaintextHttpSentToTheServerClosesItWithOneWarning() {
        Pipe pipe = TrackedPipes.create();
        Connection server = Tls.over(TestEngines.server().source(), TlsDriverSettings.defaults()).apply(pipe.right());
        Mono<byte[]> answer = TlsPipe.gather(pipe.left().receive()).cache();
        answer.subscribe();
        send(pipe.left(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII));
        StepVerifier.create(server.receive())
                .expectErrorSatisfies(handshakeFailure(SSLException.class, "plaintext connection?"))
                .verify(TIMEOUT);
        assertThat(answer.block(TIMEOUT)).as("the engine's alert, in the clear: fatal internal_error")
                .containsExactly(21, 3, 3, 0, 2, 2, 80);
        pipe.right().onClose().block(TIMEOUT);
        assertThat(warnings()).containsExactly("connection pipe-right: TLS handshake failed, closing: "
                + "javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?");
        closeAndAwait(pipe);
    }

    @Test
    void garbageThatLooksLikeAHandshakeRecordIsAnsweredWithAnAlert() {
        Pipe pipe = TrackedPipes.create(Chunking.everyByte());
        Connection server = Tls.over(TestEngines.server().source(), TlsDriverSettings.defaults()).apply(pipe.right());
        Mono<byte[]> answer = TlsPipe.gather(pipe.left().receive()).cache();
        answer.subscribe();
        // A handshake record (22, TLS 1.2, 8 bytes) holding a "ClientHello" of nonsense.
        send(pipe.left(), HexFormat.of().parseHex("1603030008" + "01000004deadbeef"));
        StepVerifier.create(server.receive()).expectError(TlsHandshakeException.class).verify(TIMEOUT);
        byte[] alert = answer.block(TIMEOUT);
        assertThat(alert).as("an alert record").isNotEmpty();
        assertThat(alert[0]).isEqualTo((byte) 21);
        assertThat(warnings()).singleElement().asString().startsWith("connection pipe-right: TLS handshake failed");
        closeAndAwait(pipe);
    }

    @Test
    void bytesThatCannotStartATlsRecordFailTheServerAtOnce() {
        Pipe pipe = TrackedPipes.create();
        Connection server = Tls.over(TestEngines.server().source(), TlsDriverSettings.defaults()).apply(pipe.right());
        TlsPipe.gather(pipe.left().receive()).subscribe();
        send(pipe.left(), new byte[] {0, (byte) 0xff, 1, 2, 3, 4, 5, 6});
        StepVerifier.create(server.receive()).expectError(TlsHandshakeException.class).verify(TIMEOUT);
        assertThat(warnings()).hasSize(1);
        closeAndAwait(pipe);
    }

    @Test
    void aServerWhosePeerNeverSpeaksTimesOutWithAClearLine() {
        Pipe pipe = TrackedPipes.create();
        TlsDriverSettings settings = TlsDriverSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300));
        Connection server = Tls.over(TestEngines.server().source(), settings).apply(pipe.right());
        TlsPipe.gather(pipe.left().receive()).subscribe();
        StepVerifier.create(server.receive())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TlsHandshakeException.class)
                        .hasMessage("TLS handshake not completed within 300 ms"))
                .verify(TIMEOUT);
        pipe.right().onClose().block(TIMEOUT);
        assertThat(warnings()).containsExactly("connection pipe-right: TLS handshake failed, closing: "
                + "io.sluice.filters.tls.TlsHandshakeException: TLS handshake not completed within 300 ms");
        closeAndAwait(pipe);
    }

    @Test
    void aClientWhosePeerReadsButNeverAnswersTimesOut() {
        Pipe pipe = TrackedPipes.create();
        TlsDriverSettings settings = TlsDriverSettings.defaults().withHandshakeTimeout(Duration.ofMillis(300));
        Connection client = Tls.over(TestEngines.client().source(), settings).apply(pipe.left());
        Mono<byte[]> heard = TlsPipe.gather(pipe.right().receive()).cache();
        heard.subscribe();
        StepVerifier.create(client.receive()).expectError(TlsHandshakeException.class).verify(TIMEOUT);
        pipe.left().onClose().block(TIMEOUT);
        byte[] wire = heard.block(TIMEOUT);
        assertThat(wire[0]).as("a ClientHello first").isEqualTo((byte) 22);
        assertThat(warnings()).singleElement().asString().contains("TLS handshake not completed within 300 ms");
        closeAndAwait(pipe);
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
