package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.websocket.handshake.NodeWsPeer;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The websocket-echo sample against Node's {@code ws} client, as the compliance suite will drive it: a 16 MiB
 * message (the largest that suite sends), a text message in three fragments with a ping between them, a binary
 * message, and a clean close; with and without permessage-deflate.
 */
class WebSocketEchoWithNodeWsTest {

    private static final String CLIENT = """
            const WebSocket = require('ws');
            const crypto = require('crypto');
            const [url, deflate] = process.argv.slice(2);
            const ws = new WebSocket(url, {perMessageDeflate: deflate === 'deflate', maxPayload: 64 << 20});
            const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 60000);
            const big = crypto.randomBytes(16 << 20);
            const expected = ['fragments: \\u00e9t\\u00e9', Buffer.from([1, 2, 3]), big];
            ws.on('open', () => {
              console.log(`open [${ws.extensions}]`);
              ws.send('fragments: \\u00e9', {fin: false});
              ws.ping('between');
              ws.send(Buffer.from('t\\u00e9'), {fin: false, binary: false});
              ws.send('', {fin: true});
              ws.send(Buffer.from([1, 2, 3]));
              ws.send(big);
            });
            ws.on('pong', data => console.log(`pong ${data}`));
            let i = 0;
            ws.on('message', (data, isBinary) => {
              const want = expected[i++];
              const same = Buffer.compare(data, Buffer.from(want)) === 0 && isBinary === Buffer.isBuffer(want);
              console.log(`echo ${i} ${isBinary ? 'binary' : 'text'} ${data.length} ${same ? 'same' : 'DIFFERENT'}`);
              if (i === expected.length) ws.close(1000);
            });
            ws.on('close', (code, reason) => { console.log(`closed ${code}`); clearTimeout(timer); });
            ws.on('error', e => console.log(`error ${e.message}`));
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deflate", "plain"})
    void echoesEveryMessageAsReceived(String mode) throws Exception {
        Server server = WebSocketEchoServer.bind(WebSocketEchoServer.options().parse("0", "--threads", "1"))
                .block(Duration.ofSeconds(10));
        String output;
        try {
            output = NodeWsPeer.run(CLIENT, "ws://127.0.0.1:" + server.port() + "/", mode);
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }

        assertThat(output.lines()).containsExactly(
                "open [" + (mode.equals("deflate") ? "permessage-deflate" : "") + "]",
                "pong between",
                "echo 1 text 16 same",
                "echo 2 binary 3 same",
                "echo 3 binary " + (16 << 20) + " same",
                "closed 1000");
        assertThat(server.metrics().leaks()).isZero();
    }
}
