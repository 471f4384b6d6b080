package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.ConnectionMetrics;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import io.sluice.test.SluiceTest;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import io.sluice.websocket.handshake.NodeWsPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import reactor.core.publisher.Mono;

/**
 * spring-chat as its users meet it: the page, the REST API and the room's WebSocket (Sluice, mounted) all on
 * WebFlux's port, a Node {@code ws} member and a Sluice member talking to each other and hearing the API's
 * broadcast. {@link SpringChatOnItsOwnPortTest} runs the same with the WebSocket on a port of its own.
 */
@SpringBootTest(classes = SpringChatApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "server.port=0")
@DirtiesContext
class SpringChatApplicationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A member in Node's ws: prints what it hears, and leaves (1000) once it heard bob. */
    private static final String NODE_MEMBER = """
            const WebSocket = require('ws');
            const ws = new WebSocket(process.argv[2], {perMessageDeflate: true});
            const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 30000);
            ws.on('open', () => console.log(`open [${ws.extensions}]`));
            ws.on('message', data => {
              console.log(`got ${data}`);
              if (String(data) === 'bob: hi alice') ws.close(1000);
            });
            ws.on('close', code => { console.log(`closed ${code}`); clearTimeout(timer); });
            ws.on('error', e => console.log(`error ${e.message}`));
            """;

    @LocalServerPort
    int httpPort;

    @Autowired
    SluiceServers servers;

    @Autowired
    ObjectProvider<SluiceWebFluxEndpoints> mounted;

    @Autowired
    ChatRoom room;

    private WebSocketClient client;

    @AfterEach
    void disposeClient() {
        if (client != null) {
            client.dispose().block(TIMEOUT);
        }
    }

    @Test
    void membersOnSluiceAndTheRestApiTalkToEachOther() throws Exception {
        String url = chatUrl();
        try (NodeWsPeer.Running alice = NodeWsPeer.start(NODE_MEMBER, url + "?name=alice")) {
            assertThat(alice.awaitLine("open", TIMEOUT)).isEqualTo("open [permessage-deflate]");
            alice.awaitLine("got * welcome alice", TIMEOUT);

            client = WebSocket.client(url + "?name=bob").transport(t -> t.allocator(SluiceTest.allocator())).build();
            WebSocketSession bob = client.connect().block(TIMEOUT);
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            bob.receive().subscribe(m -> {
                try {
                    heard.add(m.text());
                } finally {
                    m.release();
                }
            });
            assertThat(heard.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).startsWith("* welcome bob");
            assertThat(heard.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("* bob joined");
            alice.awaitLine("got * bob joined", TIMEOUT);
            assertThat(get("/api/members")).isEqualTo("{\"members\":[\"alice\",\"bob\"]}");

            HttpResponse<String> posted = post("/api/messages", "hello from the api");
            assertThat(posted.statusCode()).isEqualTo(202);
            assertThat(posted.body()).isEqualTo("{\"delivered to\":2}");
            alice.awaitLine("got api: hello from the api", TIMEOUT);
            assertThat(heard.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("api: hello from the api");

            bob.send(Mono.fromSupplier(() -> WebSocketMessage.text(bob.allocator(), "hi alice"))).block(TIMEOUT);
            alice.awaitLine("got bob: hi alice", TIMEOUT);
            assertThat(alice.awaitLine("closed", TIMEOUT)).isEqualTo("closed 1000");
            // alice may leave before the room's broadcast of bob's line has reached bob's own outbox
            assertThat(List.of(heard.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                    heard.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder("bob: hi alice", "* alice left");

            bob.close();
            assertThat(bob.closeStatus().block(TIMEOUT).code()).isEqualTo(1000);
        }
        assertThat(chatMetrics().leaks()).isZero();
    }

    /** Where the room's WebSocket is: on WebFlux's port when mounted, else on the server's own. */
    private String chatUrl() {
        int port = isMounted() ? httpPort : servers.get("chat").port();
        return "ws://127.0.0.1:" + port + "/chat";
    }

    private boolean isMounted() {
        return mounted.getIfAvailable() != null;
    }

    private ConnectionMetrics chatMetrics() {
        return isMounted() ? mounted.getObject().get("chat").metrics() : servers.get("chat").metrics();
    }

    @Test
    void thePageOnWebFluxsPortIsToldWhereTheRoomsWebSocketIs() throws Exception {
        String page = get("/");
        String socket = isMounted() ? "" : chatUrl(); // empty: /chat of the page's own origin
        assertThat(page).contains("<title>Sluice chat</title>")
                .contains("<meta name=\"chat-socket\" content=\"" + socket + "\">");
    }

    @Test
    void anEmptyMessageIsRefused() throws Exception {
        assertThat(post("/api/messages", " ").statusCode()).isEqualTo(400);
    }

    @Test
    void healthAndMetricsReportTheChatServer() throws Exception {
        String chat = isMounted() ? "{\"mounted\":true,\"path\":\"/chat\","
                : "{\"bound\":true,\"address\":\"127.0.0.1:" + servers.get("chat").port() + "\",";
        assertThat(get("/actuator/health"))
                .contains("\"sluice\":{\"details\":{\"servers\":{\"chat\":" + chat)
                .contains("\"processLeaks\":0},\"status\":\"UP\"}");
        assertThat(get("/actuator/metrics/sluice.connections.active")).contains("\"name\":\"sluice.connections.active\"")
                .contains("\"tag\":\"name\"").contains("\"chat\"");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }
}
