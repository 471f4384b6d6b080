package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.handshake.NodeWsPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Frames exchanged with Node's {@code ws} (a peer nobody here wrote), both ways, with and without
 * permessage-deflate: text, binary, a 1 MiB message, and close codes and reasons started from either end.
 */
class NodeWsInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MIB = 1 << 20;
    /** Eleven bytes of UTF-8, two- and four-byte characters among them. */
    private static final String TEXT = "h\u00e9llo " + new String(Character.toChars(0x1F600));
    private static final WebSocketSettings LARGE = WebSocketSettings.builder()
            .maxMessageSize(4 * MIB).maxFrameSize(4 * MIB).build();

    /** Sends four messages, checks each echo, closes with 4001; then opens /closer and waits for its close. */
    private static final String CLIENT = """
            const WebSocket = require('ws');
            const crypto = require('crypto');
            const [base, deflate] = process.argv.slice(2);
            const options = {perMessageDeflate: deflate === 'deflate'};
            const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 25000);
            const messages = [
              ['text', 'h\\u00e9llo w\\u00f6rld \\u{1F600}'],
              ['binary', Buffer.from([0, 1, 2, 254, 255])],
              ['binary', crypto.randomBytes(1 << 20)],
              ['text', 'x'.repeat(1 << 20)],
            ];
            const ws = new WebSocket(base + '/echo', options);
            ws.on('open', () => {
              console.log(`open [${ws.extensions}]`);
              for (const [type, data] of messages) ws.send(data, {binary: type === 'binary'});
            });
            let i = 0;
            ws.on('message', (data, isBinary) => {
              const [type, sent] = messages[i++];
              const same = (type === 'binary') === isBinary && Buffer.compare(data, Buffer.from(sent)) === 0;
              console.log(`echo ${i} ${isBinary ? 'binary' : 'text'} ${data.length} ${same ? 'same' : 'DIFFERENT'}`);
              if (i === messages.length) ws.close(4001, 'client bye');
            });
            ws.on('close', (code, reason) => {
              console.log(`closed ${code} ${reason}`);
              const closer = new WebSocket(base + '/closer', options);
              closer.on('message', data => console.log(`got ${data}`));
              closer.on('close', (code, reason) => { console.log(`closed ${code} ${reason}`); clearTimeout(timer); });
            });
            ws.on('error', e => console.log(`error ${e.message}`));
            """;

    /** Echoes on any path; on /closer sends one message and closes with 4003. Prints every close it sees. */
    private static final String SERVER = """
            const { WebSocketServer } = require('ws');
            const deflate = process.argv[2] === 'deflate';
            const wss = new WebSocketServer({host: '127.0.0.1', port: 0,
                perMessageDeflate: deflate ? {threshold: 0} : false});
            wss.on('listening', () => console.log(`listening ${wss.address().port}`));
            wss.on('connection', (ws, req) => {
              console.log(`connection ${req.url} [${ws.extensions}]`);
              ws.on('message', (data, isBinary) => ws.send(data, {binary: isBinary}));
              ws.on('close', (code, reason) => console.log(`closed ${req.url} ${code} ${reason}`));
              if (req.url === '/closer') { ws.send('closing'); ws.close(4003, 'node bye'); }
            });
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deflate", "plain"})
    void nodeWsClientAgainstOurServer(String mode) throws Exception {
        Map<String, CompletableFuture<CloseStatus>> closes = new ConcurrentHashMap<>();
        WebSocketServer endpoint = WebSocket.server()
                .paths("/echo", "/closer")
                .permessageDeflate()
                .settings(LARGE.toBuilder().compressionThreshold(0).build())
                .build(session -> {
                    String path = session.info().attribute(WebSocket.REQUEST).orElseThrow().path();
                    session.closeStatus().subscribe(closes.computeIfAbsent(path, p -> new CompletableFuture<>())::complete);
                    if (path.equals("/closer")) {
                        session.receive().subscribe(WebSocketMessage::release);
                        return session.send(Mono.fromSupplier(() -> WebSocketMessage.text(session.allocator(), "closing")))
                                .then(Mono.fromRunnable(() -> session.close(CloseStatus.of(4002, "server bye"))));
                    }
                    // 1 MiB does not fit the default budget whole: echo fragment by fragment
                    return session.send(session.receiveFragments());
                });
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(endpoint).bind().block(TIMEOUT);
        String output;
        try {
            output = NodeWsPeer.run(CLIENT, "ws://127.0.0.1:" + server.port(), mode);
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
        }

        assertThat(output.lines()).containsExactly(
                "open [" + (mode.equals("deflate") ? "permessage-deflate" : "") + "]",
                "echo 1 text 18 same",
                "echo 2 binary 5 same",
                "echo 3 binary " + MIB + " same",
                "echo 4 text " + MIB + " same",
                "closed 4001 ",
                "got closing",
                "closed 4002 server bye");
        assertThat(closes.get("/echo").get(5, TimeUnit.SECONDS)).isEqualTo(CloseStatus.of(4001, "client bye"));
        assertThat(closes.get("/closer").get(5, TimeUnit.SECONDS)).isEqualTo(CloseStatus.of(4002, "server bye"));
        assertThat(server.metrics().leaks()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deflate", "plain"})
    void ourClientAgainstANodeWsServer(String mode) throws Exception {
        byte[] random = new byte[MIB];
        new Random(42).nextBytes(random);
        try (NodeWsPeer.Running node = NodeWsPeer.start(SERVER, mode)) {
            String port = node.awaitLine("listening ", TIMEOUT).substring("listening ".length());
            WebSocketClient echo = client("ws://127.0.0.1:" + port + "/echo", mode);
            WebSocketClient closer = client("ws://127.0.0.1:" + port + "/closer", mode);
            try {
                WebSocketSession session = echo.connect().block(TIMEOUT);
                assertThat(session.perMessageDeflate() != null).isEqualTo(mode.equals("deflate"));
                Mono<List<String>> echoed = session.receive().map(m -> {
                    try {
                        return m.type() + " " + m.content().readableBytes() + " "
                                + (m.isText() ? m.text() : ByteBufUtil.hexDump(m.content(),
                                        m.content().readerIndex(), Math.min(8, m.content().readableBytes())));
                    } finally {
                        m.release();
                    }
                }).take(3).collectList();
                session.send(Flux.just(0, 1, 2).map(i -> switch (i) {
                    case 0 -> WebSocketMessage.text(session.allocator(), TEXT);
                    case 1 -> WebSocketMessage.binary(session.allocator(), new byte[] {0, 1, 2, (byte) 254});
                    default -> WebSocketMessage.binary(session.allocator(), random);
                })).subscribe();

                assertThat(echoed.block(TIMEOUT)).containsExactly(
                        "TEXT 11 " + TEXT,
                        "BINARY 4 000102fe",
                        "BINARY " + MIB + " " + ByteBufUtil.hexDump(random, 0, 8));
                session.close(CloseStatus.of(4000, "sluice bye"));
                assertThat(session.closeStatus().block(TIMEOUT)).isEqualTo(CloseStatus.of(4000, "sluice bye"));
                assertThat(node.awaitLine("closed /echo", TIMEOUT)).isEqualTo("closed /echo 4000 sluice bye");

                WebSocketSession closed = closer.connect().block(TIMEOUT);
                Mono<List<String>> got = closed.receive().map(m -> {
                    try {
                        return m.text();
                    } finally {
                        m.release();
                    }
                }).collectList();
                assertThat(got.block(TIMEOUT)).containsExactly("closing");
                assertThat(closed.closeStatus().block(TIMEOUT)).isEqualTo(CloseStatus.of(4003, "node bye"));
                assertThat(node.awaitLine("closed /closer", TIMEOUT)).isEqualTo("closed /closer 4003 ");
            } finally {
                echo.dispose().block(TIMEOUT);
                closer.dispose().block(TIMEOUT);
            }
            assertThat(node.output()).contains("connection /echo [" + (mode.equals("deflate") ? "permessage-deflate" : "")
                    + "]");
        }
    }

    private static WebSocketClient client(String uri, String mode) {
        WebSocketClient.Builder b = WebSocket.client(uri)
                .settings(LARGE)
                // whole 1 MiB messages are held in the connection's budget: give it room
                .transport(t -> t.allocator(SluiceTest.allocator()).budget(4 * MIB, 8 * MIB));
        if (mode.equals("deflate")) {
            b.permessageDeflate();
        }
        return b.build();
    }
}
