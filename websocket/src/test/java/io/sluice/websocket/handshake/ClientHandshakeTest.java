package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static io.sluice.websocket.handshake.WirePipe.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.pipe.Chunking;
import io.sluice.websocket.PerMessageDeflate;
import io.sluice.websocket.WebSocketRole;
import io.sluice.websocket.WebSocketVersion;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The client handshake: the request it writes, and its checks of the answer, against a scripted raw server on the
 * pipe's left end ({@code {accept}} in a script stands for the right answer to the client's key). The pipe's right
 * end is the client's connection.
 */
class ClientHandshakeTest {

    private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");
    private static final ClientHandshake PLAIN = ClientHandshake.builder("ws://server.example.com/chat").build();
    private static final ClientHandshake OFFERING = ClientHandshake.builder("ws://server.example.com/chat")
            .subprotocols("chat", "superchat").permessageDeflate(new ClientDeflateOptions(false, false, 10)).build();

    /** Runs {@code client} against a raw server answering {@code script}; returns the client's outcome. */
    private static CompletableFuture<HandshakeResult> against(WirePipe wire, ClientHandshake client, String script) {
        WirePipe.PeerReader server = wire.peerReader();
        CompletableFuture<HandshakeResult> outcome = client.connect(wire.local).toFuture();
        String request = server.awaitHead(0);
        Matcher key = KEY.matcher(request);
        assertThat(key.find()).as("key in " + request).isTrue();
        wire.peerWrites(script.replace("{accept}", AcceptKey.accept(key.group(1))));
        return outcome;
    }

    private static String switching(String... extraLines) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n");
        for (String line : extraLines) {
            sb.append(line).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    @Test
    void completesTheHandshakeWithOurServerOverAPipe() {
        WirePipe wire = new WirePipe(Chunking.atMost(5));
        ServerHandshake server = ServerHandshake.builder().subprotocols("superchat", "chat").permessageDeflate().build();
        ClientHandshake client = ClientHandshake.builder("ws://server.example.com/chat?room=1")
                .origin("http://example.com").subprotocols("chat", "superchat")
                .permessageDeflate(new ClientDeflateOptions(false, true, 15)).build();

        var both = Mono.zip(client.connect(wire.local), server.accept(wire.peer)).block(TIMEOUT);
        HandshakeResult atClient = both.getT1();
        HandshakeResult atServer = both.getT2();

        assertThat(atClient.role()).isEqualTo(WebSocketRole.CLIENT);
        assertThat(atServer.role()).isEqualTo(WebSocketRole.SERVER);
        assertThat(atClient.version()).isEqualTo(WebSocketVersion.RFC6455);
        assertThat(atClient.subprotocol()).isEqualTo("superchat").isEqualTo(atServer.subprotocol());
        assertThat(atClient.deflate()).isEqualTo(new PerMessageDeflate(false, true, 15, 15))
                .isEqualTo(atServer.deflate());
        assertThat(atServer.request().path()).isEqualTo("/chat");
        assertThat(atServer.request().headers().get("Origin")).isEqualTo("http://example.com");

        // The upgraded connections carry bytes both ways.
        CompletableFuture<String> toServer = atServer.connection().receive().map(WirePipe::textAndRelease)
                .scan(String::concat).filter(s -> s.length() == 5).next().toFuture();
        CompletableFuture<String> toClient = atClient.connection().receive().map(WirePipe::textAndRelease)
                .scan(String::concat).filter(s -> s.length() == 5).next().toFuture();
        atClient.connection().send(Flux.just(WirePipe.buffer(atClient.connection(), "hello"))).block(TIMEOUT);
        atServer.connection().send(Flux.just(WirePipe.buffer(atServer.connection(), "world"))).block(TIMEOUT);
        assertThat(toServer.join()).isEqualTo("hello");
        assertThat(toClient.join()).isEqualTo("world");
        atClient.connection().close();
        atServer.connection().close();
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void writesTheRequestWithAFreshKeyOriginSubprotocolsOfferAndExtraHeaders() {
        ClientHandshake client = ClientHandshake.builder("ws://server.example.com:8080/chat?room=1")
                .origin("http://example.com").subprotocols("chat", "superchat")
                .permessageDeflate(new ClientDeflateOptions(true, true, 10))
                .header("Authorization", "Bearer abc").build();
        String[] keys = new String[2];
        for (int i = 0; i < 2; i++) {
            WirePipe wire = WirePipe.whole();
            WirePipe.PeerReader server = wire.peerReader();
            client.connect(wire.local).subscribe(r -> { }, e -> { });
            String request = server.awaitHead(0);
            Matcher key = KEY.matcher(request);
            assertThat(key.find()).isTrue();
            keys[i] = key.group(1);
            assertThat(request).isEqualTo(crlf("""
                    GET /chat?room=1 HTTP/1.1
                    Host: server.example.com:8080
                    Upgrade: websocket
                    Connection: Upgrade
                    Sec-WebSocket-Key: %s
                    Sec-WebSocket-Version: 13
                    Origin: http://example.com
                    Sec-WebSocket-Protocol: chat, superchat
                    Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; \
                    client_no_context_takeover; server_max_window_bits=10
                    Authorization: Bearer abc

                    """.formatted(keys[i])));
            wire.closeAndAssertNothingLeaks();
        }
        assertThat(Base64.getDecoder().decode(keys[0])).hasSize(16);
        assertThat(keys[0]).isNotEqualTo(keys[1]);
    }

    @Test
    void leavesOutTheDefaultPortAndUsesSlashForAnEmptyPath() {
        WirePipe wire = WirePipe.whole();
        WirePipe.PeerReader server = wire.peerReader();
        ClientHandshake.builder("wss://secure.example.com:443").build().connect(wire.local).subscribe(r -> { }, e -> { });

        assertThat(server.awaitHead(0)).startsWith("GET / HTTP/1.1\r\nHost: secure.example.com\r\n");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void acceptsAResponseWithoutTheOptionalFields() {
        WirePipe wire = WirePipe.whole();
        HandshakeResult result = against(wire, OFFERING, switching()).join();

        assertThat(result.subprotocol()).isNull();
        assertThat(result.deflate()).isNull();
        result.connection().close();
        wire.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate                                           | false | false | 15",
        "permessage-deflate; server_no_context_takeover               | true  | false | 15",
        "permessage-deflate; client_no_context_takeover               | false | true  | 15",
        "permessage-deflate; server_max_window_bits=10                | false | false | 10",
        "permessage-deflate; server_max_window_bits=8                 | false | false | 8",
        "permessage-deflate; server_max_window_bits=\"9\"             | false | false | 9",
    })
    void agreesToTheDeflateParametersTheServerMayChoose(String answer, boolean snct, boolean cnct, int serverBits) {
        WirePipe wire = WirePipe.whole();
        HandshakeResult result = against(wire, OFFERING, switching("Sec-WebSocket-Extensions: " + answer)).join();

        assertThat(result.deflate()).isEqualTo(new PerMessageDeflate(snct, cnct, serverBits, 15));
        result.connection().close();
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void passesOnFramesTheServerSentRightBehindItsAnswer() {
        WirePipe wire = new WirePipe(Chunking.everyByte());
        HandshakeResult result = against(wire, PLAIN, switching() + "\u0081\u0002hi").join();

        StepVerifier.create(result.connection().receive().map(WirePipe::textAndRelease)
                        .scan(String::concat).filter(s -> s.length() == 4).next())
                .expectNext("\u0081\u0002hi")
                .verifyComplete();
        result.connection().close();
        wire.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n | the server answered 200 OK instead of 101 Switching Protocols",
        "HTTP/1.1 101 Switching Protocols\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: {accept}\\r\\n\\r\\n | the response's Upgrade header is not websocket",
        "HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: h2c\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: {accept}\\r\\n\\r\\n | the response's Upgrade header is not websocket",
        "HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nSec-WebSocket-Accept: {accept}\\r\\n\\r\\n | the response's Connection header does not contain Upgrade",
        "HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n | the response has no Sec-WebSocket-Accept",
        "HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\\r\\n\\r\\n | the response's Sec-WebSocket-Accept does not match the key sent",
        "HTTP/1.1 1O1 Switching Protocols\\r\\n\\r\\n | malformed handshake response: malformed status code",
        "HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\n continued\\r\\n\\r\\n | malformed handshake response: obsolete line folding is not allowed",
    })
    void failsOnAnAnswerThatBreaksTheRules(String script, String message) {
        assertFails(PLAIN, script.replace("\\r\\n", "\r\n"), message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "Sec-WebSocket-Protocol: mqtt                                   | the server selected subprotocol mqtt, which was not offered",
        "Sec-WebSocket-Protocol: chat, superchat                        | the server selected more than one subprotocol: [chat, superchat]",
        "Sec-WebSocket-Extensions: x-webkit-deflate-frame               | the server accepted extension x-webkit-deflate-frame, which was not offered",
        "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate | the server accepted permessage-deflate twice",
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10 | the server sent client_max_window_bits, which was not offered",
        "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12 | the server's server_max_window_bits=12 exceeds the offered 10",
        "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16 | invalid permessage-deflate response: invalid server_max_window_bits value 16",
        "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits   | invalid permessage-deflate response: server_max_window_bits needs a value",
        "Sec-WebSocket-Extensions: permessage-deflate; shiny                    | invalid permessage-deflate response: unknown parameter shiny",
        "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover | invalid permessage-deflate response: duplicate parameter server_no_context_takeover",
        "Sec-WebSocket-Extensions: permessage-deflate; =                        | malformed Sec-WebSocket-Extensions in the response: expected a token at index 20",
    })
    void failsOnASubprotocolOrExtensionThatWasNotOfferedOrIsInvalid(String field, String message) {
        assertFails(OFFERING, switching(field), message);
    }

    @Test
    void failsOnAnExtensionWhenNoneWasOffered() {
        assertFails(PLAIN, switching("Sec-WebSocket-Extensions: permessage-deflate"),
                "the server accepted extension permessage-deflate, which was not offered");
    }

    @Test
    void failsWhenTheServerClosesBeforeAnswering() {
        WirePipe wire = WirePipe.whole();
        WirePipe.PeerReader server = wire.peerReader();
        CompletableFuture<HandshakeResult> outcome = PLAIN.connect(wire.local).toFuture();
        server.awaitHead(0);
        wire.peerWritesAndShuts("HTTP/1.1 101 Swi");

        assertFailure(outcome, "the server closed the connection before its handshake response was complete");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void failsWhenTheAnswerDoesNotComeInTime() {
        WirePipe wire = WirePipe.whole();
        wire.peerReader();
        ClientHandshake impatient = ClientHandshake.builder("ws://a.example/").timeout(Duration.ofMillis(200)).build();

        assertFailure(impatient.connect(wire.local).toFuture(), "no handshake response within 200 ms");
        StepVerifier.create(wire.local.onClose()).expectComplete().verify(TIMEOUT);
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesAUriThatIsNotWebSocket() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ClientHandshake.builder("ftp://a.example/"))
                .withMessage("expected a ws:// or wss:// URI with a host, got ftp://a.example/");
    }

    private static void assertFails(ClientHandshake client, String script, String message) {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<HandshakeResult> outcome = against(wire, client, script);
        assertFailure(outcome, message);
        StepVerifier.create(wire.local.onClose()).expectComplete().verify(TIMEOUT);
        wire.closeAndAssertNothingLeaks();
    }

    private static void assertFailure(CompletableFuture<HandshakeResult> outcome, String message) {
        assertThat(outcome).failsWithin(TIMEOUT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(HandshakeException.class).withMessage(message);
    }
}
