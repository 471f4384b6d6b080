package io.sluice.samples.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.samples.EchoSampleServer;
import io.sluice.samples.DeflateAnswerRules;
import io.sluice.samples.LogText;
import io.sluice.samples.conformance.WireFrames.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The websocket-echo sample, bound as its {@code main} binds it, answering the compliance suite's permessage-deflate
 * offers as that suite writes them (client hints first, several offers in one field for case 13.7, window bits 9
 * and, in its older releases, 8), then echoing messages compressed the way that suite sends them: the whole message
 * deflated once with the JDK's zlib, its sync-flush tail removed, and the compressed bytes cut into frames of the
 * auto-fragment size wherever that falls. Replies are inflated when marked compressed. The close must be a clean
 * 1000 and the server must then close the TCP connection itself.
 */
class CompressionOffersOnTheWireTest {

    private static final String HINTS = "permessage-deflate; client_no_context_takeover; client_max_window_bits";

    /** (payload length, auto-fragment size of the compressed stream; 0 = one frame). */
    private static final int[][] SIZES = {
        {16, 0}, {4096, 0}, {131072, 0}, {65536, 256}, {131072, 1024}, {131072, 4096}, {131072, 32768},
    };

    private static final int COUNT = 3;

    @RegisterExtension
    final EchoSampleServer sample = new EchoSampleServer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // case   | the offer's parameters after the suite's hints, one offer per '/'          | the sample's answer
        "13.1     |                                                                              | permessage-deflate; client_no_context_takeover",
        "13.2     | ; server_no_context_takeover                                                 | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "13.3     | ; server_max_window_bits=9                                                   | permessage-deflate; client_no_context_takeover; server_max_window_bits=9",
        "13.3 (8) | ; server_max_window_bits=8                                                   | permessage-deflate; client_no_context_takeover; server_max_window_bits=8",
        "13.4     | ; server_max_window_bits=15                                                  | permessage-deflate; client_no_context_takeover; server_max_window_bits=15",
        "13.5     | ; server_no_context_takeover; server_max_window_bits=9                       | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9",
        "13.5 (8) | ; server_no_context_takeover; server_max_window_bits=8                       | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8",
        "13.6     | ; server_no_context_takeover; server_max_window_bits=15                      | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15",
        "13.7     | ; server_no_context_takeover; server_max_window_bits=9/; server_no_context_takeover/ | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9",
        "13.7 (8) | ; server_no_context_takeover; server_max_window_bits=8/; server_no_context_takeover/ | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8",
    })
    void answersTheSuitesOfferAndEchoesItsCompressedFrames(String suiteCase, String params, String answer)
            throws Exception {
        String[] offers = (params == null ? "" : params).split("/", -1);
        String header = String.join(", ", Arrays.stream(offers).map(p -> HINTS + p).toList());
        byte[] text = LogText.ofAtLeast(400_000);

        try (RawWebSocketClient client = RawWebSocketClient.connect(sample.port(), header)) {
            assertThat(client.statusLine()).startsWith("HTTP/1.1 101");
            assertThat(client.header("Sec-WebSocket-Extensions")).isEqualTo(answer);
            assertThat(DeflateAnswerRules.violations(HINTS + offers[0], answer)).isEmpty();
            boolean clientResets = answer.contains("client_no_context_takeover");
            boolean serverResets = answer.contains("server_no_context_takeover");

            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            Inflater inflater = new Inflater(true);
            int at = 0;
            for (int[] size : SIZES) {
                for (int i = 0; i < COUNT; i++) {
                    byte[] message = Arrays.copyOfRange(text, at, at + size[0]);
                    at = (at + size[0]) % (text.length - 131072);
                    if (clientResets) {
                        deflater.reset();
                    }
                    sendCompressed(client, deflater, message, size[1]);
                    if (serverResets) {
                        inflater.reset();
                    }
                    assertThat(receiveText(client, inflater))
                            .as("echo of %d bytes in %d-byte frames", size[0], size[1]).isEqualTo(message);
                }
            }
            deflater.end();
            inflater.end();

            client.sendClose(1000);
            Frame close = client.receive();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.payload()).containsExactly(0x03, 0xe8);
            assertThat(client.serverClosesConnection()).as("the server closes the TCP connection").isTrue();
        }
    }

    /** The message deflated as one piece, its tail removed, cut into frames of {@code fragment} bytes. */
    private static void sendCompressed(RawWebSocketClient client, Deflater deflater, byte[] message, int fragment)
            throws IOException {
        deflater.setInput(message);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            compressed.write(chunk, 0, n);
        } while (n == chunk.length);
        byte[] body = compressed.toByteArray();
        assertThat(Arrays.copyOfRange(body, body.length - 4, body.length)).containsExactly(0, 0, 0xff, 0xff);
        body = Arrays.copyOf(body, body.length - 4);
        if (fragment == 0 || body.length <= fragment) {
            client.send(0x1, true, true, body, 0);
            return;
        }
        for (int from = 0; from < body.length; from += fragment) {
            int to = Math.min(body.length, from + fragment);
            client.send(from == 0 ? 0x1 : 0x0, to == body.length, from == 0, Arrays.copyOfRange(body, from, to), 0);
        }
    }

    /** The next text message, inflated when its first frame says it is compressed. */
    private static byte[] receiveText(RawWebSocketClient client, Inflater inflater)
            throws IOException, DataFormatException {
        Frame first = client.receive();
        assertThat(first.opcode()).isEqualTo(0x1);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(first.payload());
        Frame frame = first;
        while (!frame.fin()) {
            frame = client.receive();
            assertThat(frame.opcode()).isEqualTo(0x0);
            assertThat(frame.rsv1()).isFalse();
            payload.write(frame.payload());
        }
        if (!first.rsv1()) {
            return payload.toByteArray();
        }
        payload.write(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
        inflater.setInput(payload.toByteArray());
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        byte[] chunk = new byte[16384];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            message.write(chunk, 0, n);
        }
        assertThat(inflater.getRemaining()).isZero();
        return message.toByteArray();
    }
}
