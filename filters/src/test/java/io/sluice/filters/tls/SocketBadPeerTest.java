package io.sluice.filters.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/**
 * A TLS server on every provider, over real sockets, against peers that misbehave at the TCP level (plain Java
 * sockets, with the JDK's own TLS socket where a handshake is needed): each such connection ends closed and the
 * server holds no buffer afterwards.
 */
@ParameterizedClass(name = "{0} server")
@EnumSource(TlsProvider.class)
class SocketBadPeerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @AutoClose
    private final ProviderEngines engines;
    private Server server;

    SocketBadPeerTest(TlsProvider provider) {
        this.engines = new ProviderEngines(new ProviderPair(provider, TlsProvider.JDK));
    }

    @BeforeEach
    void startServer() {
        server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(Tls.over(engines.server(s -> s), TlsDriverSettings.defaults()))
                .handler(c -> c.send(c.receive()).onErrorResume(e -> Mono.empty()))
                .bind().block(TIMEOUT);
    }

    @AfterEach
    void shutDown() {
        server.shutdown(Duration.ofMillis(500)).block(TIMEOUT);
    }

    @Test
    void aResetInTheMiddleOfTheClientHello() throws Exception {
        try (Socket peer = connect()) {
            peer.getOutputStream().write(Arrays.copyOf(clientHello(), 100));
            peer.getOutputStream().flush();
            await(() -> server.metrics().bytesIn() >= 100, "the server read the partial ClientHello");
            RawTcpPeer.reset(peer);
        }
        assertServerClosedEverythingAndHoldsNothing();
    }

    @Test
    void aResetInTheMiddleOfARecordAfterTheHandshake() throws Exception {
        try (Socket raw = connect()) {
            SSLSocket tls = (SSLSocket) TestEngines.client().context().getSocketFactory()
                    .createSocket(raw, "localhost", server.port(), false);
            tls.startHandshake();
            tls.getOutputStream().write("ping".getBytes(US_ASCII));
            tls.getOutputStream().flush();
            assertThat(new String(tls.getInputStream().readNBytes(4), US_ASCII)).isEqualTo("ping");
            // An application-data record announcing 1,000 bytes, of which 500 come: the server holds half a record.
            byte[] half = new byte[5 + 500];
            System.arraycopy(HexFormat.of().parseHex("17030303e8"), 0, half, 0, 5);
            raw.getOutputStream().write(half);
            raw.getOutputStream().flush();
            await(() -> server.metrics().outstandingBytes() >= 500, "the server holds the half record");
            RawTcpPeer.reset(raw);
        }
        assertServerClosedEverythingAndHoldsNothing();
    }

    @Test
    void plaintextHttpIsAnsweredWithAnAlertOrNothingAndClosed() throws Exception {
        assertAnsweredAndClosed("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII));
    }

    @Test
    void aGarbageHandshakeRecordIsAnsweredWithAnAlertOrNothingAndClosed() throws Exception {
        assertAnsweredAndClosed(HexFormat.of().parseHex("1603030008" + "01000004deadbeef"));
    }

    private void assertAnsweredAndClosed(byte[] bytes) throws Exception {
        byte[] answer;
        try (Socket peer = connect()) {
            peer.setSoTimeout((int) TIMEOUT.toMillis());
            peer.getOutputStream().write(bytes);
            peer.getOutputStream().flush();
            answer = readToEnd(peer.getInputStream());
        }
        if (answer.length > 0) {
            assertThat(answer).as("one fatal alert record").hasSize(7).startsWith(21, 3);
        }
        assertServerClosedEverythingAndHoldsNothing();
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), server.port());
    }

    private void assertServerClosedEverythingAndHoldsNothing() {
        SocketTest.awaitNoConnections(server);
        assertThat(server.metrics().closed()).isEqualTo(server.metrics().accepted());
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().outstandingBytes()).isZero();
    }

    /** Everything until the server closes (a reset after an alert counts as the end). */
    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                all.write(chunk, 0, n);
            }
        } catch (SocketException reset) {
            // the server closed with unread bytes of ours: what came before is the answer
        }
        return all.toByteArray();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Mono.delay(Duration.ofMillis(5)).block();
        }
    }

    /** The first flight of a JDK client: a whole ClientHello record. */
    private static byte[] clientHello() throws IOException {
        SSLEngine engine = TestEngines.client().engine(TestEngines.client().context());
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }
}
