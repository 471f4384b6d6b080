package io.sluice.samples.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.samples.EchoSampleServer;
import io.sluice.samples.conformance.WireFrames.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The websocket-echo sample, bound as its {@code main} binds it, receiving a 1 MiB text or binary message as one
 * frame written to the socket in chops of 64 B to 2 KiB, as the compliance suite's cases 9.5 and 9.6 send it: the
 * echo must come back whole, and the close must be a clean 1000 after which the server closes the connection.
 */
class ChoppedFrameEchoTest {

    private static final int LENGTH = 1 << 20;

    @RegisterExtension
    final EchoSampleServer sample = new EchoSampleServer();

    @ParameterizedTest(name = "{0}: {1} in chops of {2} B")
    @CsvSource({
        "9.5.1, text, 64", "9.5.2, text, 128", "9.5.3, text, 256", "9.5.4, text, 512", "9.5.5, text, 1024",
        "9.5.6, text, 2048",
        "9.6.1, binary, 64", "9.6.2, binary, 128", "9.6.3, binary, 256", "9.6.4, binary, 512",
        "9.6.5, binary, 1024", "9.6.6, binary, 2048",
    })
    void echoesAMessageWrittenInChops(String suiteCase, String type, int chop) throws Exception {
        boolean binary = type.equals("binary");
        byte[] message = new byte[LENGTH];
        if (binary) {
            new Random(chop).nextBytes(message);
        } else {
            byte[] pattern = "BAsd7&jh23".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < LENGTH; i++) {
                message[i] = pattern[i % pattern.length];
            }
        }
        int opcode = binary ? 0x2 : 0x1;

        try (RawWebSocketClient client = RawWebSocketClient.connect(sample.port(), null)) {
            assertThat(client.statusLine()).startsWith("HTTP/1.1 101");
            // Written beside the reading: an echo nobody reads would stop the server reading in turn.
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    client.send(opcode, true, false, message, chop);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            Frame frame = client.receive();
            assertThat(frame.opcode()).isEqualTo(opcode);
            ByteArrayOutputStream echo = new ByteArrayOutputStream(LENGTH);
            echo.write(frame.payload());
            while (!frame.fin()) {
                frame = client.receive();
                assertThat(frame.opcode()).isZero();
                echo.write(frame.payload());
            }
            written.get(30, TimeUnit.SECONDS);
            assertThat(echo.toByteArray()).isEqualTo(message);

            client.sendClose(1000);
            Frame close = client.receive();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.payload()).containsExactly(0x03, 0xe8);
            assertThat(client.serverClosesConnection()).as("the server closes the TCP connection").isTrue();
        }
    }
}
