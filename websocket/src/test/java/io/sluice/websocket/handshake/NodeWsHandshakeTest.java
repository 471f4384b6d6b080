package io.sluice.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.PerMessageDeflate;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The server handshake over a real socket, against Node's {@code ws} client: the 101, the agreed subprotocol and
 * extension as {@code ws} sees them, and a plain page served on the same port to Node's HTTP client. Frames are
 * not exchanged here: the client ends the connection once it is open.
 */
class NodeWsHandshakeTest {

    private static final String CLIENT = """
            const WebSocket = require('ws');
            const [url, deflate] = process.argv.slice(2);
            const ws = new WebSocket(url, ['superchat', 'chat'], {perMessageDeflate: deflate === 'deflate'});
            const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 10000);
            const end = line => { console.log(line); clearTimeout(timer); };
            ws.on('open', () => { end(`open ${ws.protocol} [${ws.extensions}]`); ws.terminate(); });
            ws.on('unexpected-response', (req, res) => { end(`status ${res.statusCode}`); req.destroy(); });
            ws.on('error', e => end(`error ${e.message}`));
            """;

    private static final String GET = """
            const http = require('http');
            http.get(process.argv[2], res => {
              let body = '';
              res.on('data', d => body += d);
              res.on('end', () => { console.log(`${res.statusCode} ${res.headers['content-type']} ${body}`); });
            }).on('error', e => { console.log(`error ${e.message}`); process.exit(1); });
            """;

    private Server server;
    private final CompletableFuture<HandshakeResult> accepted = new CompletableFuture<>();

    private String start(ServerHandshake handshake) {
        server = Server.tcp().allocator(SluiceTest.allocator())
                .handler(handshake.handler(result -> {
                    accepted.complete(result);
                    return result.connection().receive().doOnNext(ByteBuf::release).then();
                }))
                .bind().block(Duration.ofSeconds(5));
        return "127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
            assertThat(server.metrics().leaks()).isZero();
        }
    }

    @Test
    void nodeWsCompletesTheHandshakeWithPermessageDeflate() throws Exception {
        String address = start(ServerHandshake.builder().subprotocols("chat", "superchat").permessageDeflate().build());

        assertThat(NodeWsPeer.run(CLIENT, "ws://" + address + "/chat", "deflate"))
                .isEqualTo("open chat [permessage-deflate]");
        HandshakeResult result = accepted.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result.deflate()).isEqualTo(new PerMessageDeflate(false, false, 15, 15));
        assertThat(result.request().headers().get("Sec-WebSocket-Extensions"))
                .isEqualTo("permessage-deflate; client_max_window_bits");
    }

    @Test
    void nodeWsCompletesTheHandshakeWithoutCompression() throws Exception {
        String address = start(ServerHandshake.builder().subprotocols("chat").build());

        assertThat(NodeWsPeer.run(CLIENT, "ws://" + address + "/chat", "plain")).isEqualTo("open chat []");
        assertThat(accepted.get(5, java.util.concurrent.TimeUnit.SECONDS).deflate()).isNull();
    }

    @Test
    void nodeWsSeesA403ForARefusedOrigin() throws Exception {
        String address = start(ServerHandshake.builder().allowedOrigins("https://only.example").build());
        String withOrigin = CLIENT.replace("{perMessageDeflate: deflate === 'deflate'}",
                "{origin: 'https://evil.example'}");

        assertThat(NodeWsPeer.run(withOrigin, "ws://" + address + "/chat", "plain")).isEqualTo("status 403");
    }

    @Test
    void servesAPageOnTheSamePortToNodesHttpClient() throws Exception {
        PlainHttpHandler page = (request, allocator) -> Mono.fromCallable(() -> HttpResponse.of(200,
                HttpHeaders.of("Content-Type", "text/html"),
                allocator.buffer().writeBytes("<p>hello</p>".getBytes(StandardCharsets.UTF_8))));
        String address = start(ServerHandshake.builder().plainHttp(page).build());

        assertThat(NodeWsPeer.run(GET, "http://" + address + "/")).isEqualTo("200 text/html <p>hello</p>");
    }
}
