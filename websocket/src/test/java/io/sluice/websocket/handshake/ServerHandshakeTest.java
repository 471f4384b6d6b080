package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.Answers.refusal;
import static io.sluice.websocket.handshake.Answers.refusedAnswer;
import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static io.sluice.websocket.handshake.WirePipe.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.websocket.WebSocketRole;
import io.sluice.websocket.WebSocketVersion;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The RFC 6455 §4.2 server handshake: the sample, versions, origins, subprotocols, and every refusal. */
class ServerHandshakeTest {

    /** RFC 6455 §1.2's sample client handshake. */
    static final String RFC_SAMPLE = crlf("""
            GET /chat HTTP/1.1
            Host: server.example.com
            Upgrade: websocket
            Connection: Upgrade
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
            Origin: http://example.com
            Sec-WebSocket-Protocol: chat, superchat
            Sec-WebSocket-Version: 13

            """);

    private static HandshakeResult upgrade(WirePipe wire, ServerHandshake handshake, String... writes) {
        wire.peerWrites(writes);
        HandshakeResult result = handshake.accept(wire.local).block(TIMEOUT);
        assertThat(result).as("handshake result").isNotNull();
        return result;
    }

    @Test
    void answersTheRfcSampleWithItsAcceptKey() {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        HandshakeResult result = upgrade(wire, ServerHandshake.builder().subprotocols("chat").build(), RFC_SAMPLE);
        result.connection().close();

        assertThat(answer.join()).isEqualTo(crlf("""
                HTTP/1.1 101 Switching Protocols
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
                Sec-WebSocket-Protocol: chat

                """));
        assertThat(result.version()).isEqualTo(WebSocketVersion.RFC6455);
        assertThat(result.role()).isEqualTo(WebSocketRole.SERVER);
        assertThat(result.subprotocol()).isEqualTo("chat");
        assertThat(result.deflate()).isNull();
        assertThat(result.request().path()).isEqualTo("/chat");
        assertThat(result.request().headers().get("origin")).isEqualTo("http://example.com");
        assertThat(result.response().status()).isEqualTo(101);
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void headerNamesAndTheUpgradeTokensAreCaseInsensitiveAndListsMaySpanFields() {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        HandshakeResult result = upgrade(wire, ServerHandshake.builder().subprotocols("superchat").build(), crlf("""
                GET /chat?room=1 HTTP/1.1
                HOST: server.example.com
                upgrade: WebSocket
                connection: keep-alive
                CONNECTION: UPGRADE
                sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==
                Sec-WebSocket-Protocol: chat
                Sec-WebSocket-Protocol: superchat
                sec-websocket-version: 13

                """));
        result.connection().close();

        assertThat(answer.join()).contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
        assertThat(result.subprotocol()).isEqualTo("superchat");
        assertThat(result.request().path()).isEqualTo("/chat");
        assertThat(result.request().query()).isEqualTo("room=1");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void choosesTheServersMostPreferredSubprotocolAmongTheOffered() {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        HandshakeResult result = upgrade(wire,
                ServerHandshake.builder().subprotocols("v2.chat", "superchat", "chat").build(), RFC_SAMPLE);
        result.connection().close();

        assertThat(result.subprotocol()).isEqualTo("superchat");
        assertThat(result.response().headers().get("Sec-WebSocket-Protocol")).isEqualTo("superchat");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void selectsNoSubprotocolWhenNoneOfferedIsSpoken() {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        HandshakeResult result = upgrade(wire, ServerHandshake.builder().subprotocols("mqtt").build(), RFC_SAMPLE);
        result.connection().close();

        assertThat(result.subprotocol()).isNull();
        assertThat(result.response().headers().contains("Sec-WebSocket-Protocol")).isFalse();
        wire.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest(name = "version {0}")
    @MethodSource("hybiVersions")
    void acceptsHybiDraftsSevenAndEightWithTheirOriginHeader(String version, WebSocketVersion expected) {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        ServerHandshake handshake = ServerHandshake.builder().allowedOrigins("http://example.com").build();
        HandshakeResult result = upgrade(wire, handshake, crlf("""
                GET /chat HTTP/1.1
                Host: server.example.com
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                Sec-WebSocket-Origin: http://example.com
                Sec-WebSocket-Version: %s

                """.formatted(version)));
        result.connection().close();

        assertThat(result.version()).isEqualTo(expected);
        assertThat(answer.join()).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
        wire.closeAndAssertNothingLeaks();
    }

    static Stream<Arguments> hybiVersions() {
        return Stream.of(Arguments.of("7", WebSocketVersion.HYBI_07), Arguments.of("8", WebSocketVersion.HYBI_08));
    }

    @Test
    void refusesAnOriginOutsideTheAllowListWith403() {
        ServerHandshake handshake = ServerHandshake.builder().allowedOrigins("https://chat.example.com").build();

        assertThat(refusedAnswer(handshake, RFC_SAMPLE))
                .isEqualTo(refusal(403, "origin not allowed: http://example.com"));
    }

    @Test
    void acceptsAnOriginOnTheAllowListIgnoringCase() {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        ServerHandshake handshake = ServerHandshake.builder()
                .allowedOrigins("https://chat.example.com", "HTTP://Example.com").build();
        upgrade(wire, handshake, RFC_SAMPLE).connection().close();
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void checksTheSecWebSocketOriginOfHybiEightAgainstTheAllowList() {
        ServerHandshake handshake = ServerHandshake.builder().allowedOrigins("https://chat.example.com").build();

        assertThat(refusedAnswer(handshake, crlf("""
                GET /chat HTTP/1.1
                Host: server.example.com
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                Sec-WebSocket-Origin: http://evil.example
                Sec-WebSocket-Version: 8

                """))).isEqualTo(refusal(403, "origin not allowed: http://evil.example"));
    }

    @Test
    void refusesAnUpgradeToAPathThatIsNotAnEndpointWith404() {
        ServerHandshake handshake = ServerHandshake.builder().paths("/echo", "/live").build();

        assertThat(refusedAnswer(handshake, RFC_SAMPLE)).isEqualTo(refusal(404, "no WebSocket endpoint at /chat"));
    }

    @Test
    void acceptsAnUpgradeToAnEndpointPathWhateverItsQuery() {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        ServerHandshake handshake = ServerHandshake.builder().paths("/live", "/chat").build();
        HandshakeResult result = upgrade(wire, handshake, RFC_SAMPLE.replace("GET /chat ", "GET /chat?room=2 "));
        result.connection().close();

        assertThat(result.request().query()).isEqualTo("room=2");
        wire.closeAndAssertNothingLeaks();
    }

    @Test
    void answersAnUnsupportedVersionWith426ListingTheSupportedOnes() {
        assertThat(refusedAnswer(ServerHandshake.builder().build(), crlf("""
                GET /chat HTTP/1.1
                Host: server.example.com
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                Sec-WebSocket-Version: 9

                """))).isEqualTo(refusal(426, "unsupported Sec-WebSocket-Version 9",
                "Upgrade: websocket", "Sec-WebSocket-Version: 13, 8, 7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUpgrades")
    void refusesAnInvalidUpgradeWithItsStatusAndReason(String what, String request, int status, String reason) {
        String answer = refusedAnswer(ServerHandshake.builder().build(), crlf(request));

        if (status == 426) {
            assertThat(answer).isEqualTo(refusal(status, reason, "Upgrade: websocket", "Sec-WebSocket-Version: 13, 8, 7"));
        } else {
            assertThat(answer).isEqualTo(refusal(status, reason));
        }
    }

    static Stream<Arguments> invalidUpgrades() {
        return Stream.of(
                Arguments.of("missing Host", """
                        GET /chat HTTP/1.1
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13

                        """, 400, "missing Host header"),
                Arguments.of("two Host headers", """
                        GET /chat HTTP/1.1
                        Host: a.example
                        Host: b.example
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13

                        """, 400, "more than one Host header"),
                Arguments.of("POST", """
                        POST /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13

                        """, 400, "a WebSocket upgrade must use GET"),
                Arguments.of("HTTP/1.0", """
                        GET /chat HTTP/1.0
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13

                        """, 400, "a WebSocket upgrade needs HTTP/1.1"),
                Arguments.of("missing Connection", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13

                        """, 400, "Connection header does not contain Upgrade"),
                Arguments.of("Connection without Upgrade", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: keep-alive, Upgraded
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13

                        """, 400, "Connection header does not contain Upgrade"),
                Arguments.of("missing key", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Version: 13

                        """, 400, "missing Sec-WebSocket-Key"),
                Arguments.of("key of 15 bytes", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j
                        Sec-WebSocket-Version: 13

                        """, 400, "invalid Sec-WebSocket-Key"),
                Arguments.of("key not base64", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ!!
                        Sec-WebSocket-Version: 13

                        """, 400, "invalid Sec-WebSocket-Key"),
                Arguments.of("two keys", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13

                        """, 400, "invalid Sec-WebSocket-Key"),
                Arguments.of("missing version", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==

                        """, 426, "missing Sec-WebSocket-Version"),
                Arguments.of("two versions in one field", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13, 8

                        """, 426, "unsupported Sec-WebSocket-Version 13, 8"),
                Arguments.of("two Origin headers", """
                        GET /chat HTTP/1.1
                        Host: server.example.com
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Origin: http://a.example
                        Origin: http://b.example
                        Sec-WebSocket-Version: 13

                        """, 400, "more than one Origin header"));
    }
}
