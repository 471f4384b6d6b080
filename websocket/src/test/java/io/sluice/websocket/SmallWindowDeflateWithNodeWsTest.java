package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.handshake.NodeWsPeer;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server agreeing to {@code server_max_window_bits} under 15 (RFC 7692 §7.1.2.1) still compresses, and keeps the
 * window: Node's {@code ws} offers the window, and inflates each reply with a zlib inflater of exactly that window,
 * which fails with "invalid distance too far back" on a reference beyond it. The client sends the same 4 KiB text
 * four times: with context takeover a deflater that ignored the window would encode each repeat as references
 * 4 KiB back, past a 256-512 byte window. The bytes read from the socket show the replies were compressed.
 */
class SmallWindowDeflateWithNodeWsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String CLIENT = """
            const WebSocket = require('ws');
            const [url, bits] = process.argv.slice(2);
            const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 25000);
            let seed = 7;
            const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
            let text = '';
            while (text.length < 4096) text += 'abcd '.charAt(next() % 5);
            const ws = new WebSocket(url, {perMessageDeflate: {serverMaxWindowBits: Number(bits), threshold: 0}});
            ws.on('upgrade', res => console.log(`answer [${res.headers['sec-websocket-extensions']}]`));
            let sent = 0, same = 0;
            const send = () => { sent++; ws.send(text, {compress: true}); };
            ws.on('open', send);
            ws.on('message', (data, isBinary) => {
              if (!isBinary && data.toString() === text) same++;
              if (sent < 4) { send(); return; }
              console.log(`${same} of ${sent} echoed`);
              console.log(`compressed ${ws._socket.bytesRead < sent * text.length / 2}`);
              ws.close(1000);
            });
            ws.on('close', code => { console.log(`closed ${code}`); clearTimeout(timer); });
            ws.on('error', e => console.log(`error ${e.message}`));
            """;

    @ParameterizedTest(name = "server_max_window_bits={0}")
    @ValueSource(ints = {9, 10, 12})
    void repliesAreCompressedWithinTheAgreedWindow(int bits) throws Exception {
        WebSocketServer endpoint = WebSocket.server()
                .permessageDeflate()
                .settings(WebSocketSettings.builder().compressionThreshold(0).build())
                .build(session -> session.send(session.receive()));
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(endpoint).bind().block(TIMEOUT);
        String output;
        try {
            output = NodeWsPeer.run(CLIENT, "ws://127.0.0.1:" + server.port(), Integer.toString(bits));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
        }
        assertThat(output.lines()).containsExactly(
                "answer [permessage-deflate; server_max_window_bits=" + bits + "]",
                "4 of 4 echoed",
                "compressed true",
                "closed 1000");
        assertThat(server.metrics().leaks()).isZero();
    }
}
