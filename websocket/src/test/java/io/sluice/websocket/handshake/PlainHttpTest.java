package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.Answers.refusal;
import static io.sluice.websocket.handshake.Answers.refusedAnswer;
import static io.sluice.websocket.handshake.WirePipe.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Requests that are not upgrades, answered by the plain HTTP hook on the same connection. */
class PlainHttpTest {

    private static final String PAGE = "<!doctype html><title>chat</title><script src=chat.js></script>";

    /** Serves the page at {@code /}, and nothing else. */
    private static final PlainHttpHandler SITE = (request, allocator) -> {
        if (!request.path().equals("/")) {
            return Mono.empty();
        }
        byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
        return Mono.fromCallable(() -> HttpResponse.of(200,
                HttpHeaders.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-cache"),
                allocator.buffer(page.length).writeBytes(page)));
    };

    private static final ServerHandshake SERVER = ServerHandshake.builder().plainHttp(SITE).build();

    @Test
    void servesAPageThroughTheHook() {
        assertThat(refusedAnswer(SERVER, crlf("""
                GET / HTTP/1.1
                Host: chat.example.com
                Accept: text/html

                """))).isEqualTo(crlf("""
                HTTP/1.1 200 OK
                Content-Type: text/html; charset=utf-8
                Cache-Control: no-cache
                Content-Length: %d
                Connection: close

                """.formatted(PAGE.length())) + PAGE);
    }

    @Test
    void answersHeadWithTheHeadOnly() {
        assertThat(refusedAnswer(SERVER, crlf("""
                HEAD / HTTP/1.1
                Host: chat.example.com

                """))).isEqualTo(crlf("""
                HTTP/1.1 200 OK
                Content-Type: text/html; charset=utf-8
                Cache-Control: no-cache
                Content-Length: %d
                Connection: close

                """.formatted(PAGE.length())));
    }

    @Test
    void answers404WhenTheHookHasNothing() {
        assertThat(refusedAnswer(SERVER, crlf("""
                GET /missing.png?v=2 HTTP/1.1
                Host: chat.example.com

                """))).isEqualTo(refusal(404, "not found: /missing.png"));
    }

    @Test
    void answers500AndReleasesWhenTheHookFails() {
        ServerHandshake failing = ServerHandshake.builder()
                .plainHttp((request, allocator) -> Mono.error(new IllegalStateException("disk on fire")))
                .build();

        assertThat(refusedAnswer(failing, crlf("""
                GET / HTTP/1.1
                Host: chat.example.com

                """))).isEqualTo(refusal(500, "internal error"));
    }

    @Test
    void answers426ByDefault() {
        assertThat(refusedAnswer(ServerHandshake.builder().build(), crlf("""
                GET / HTTP/1.1
                Host: chat.example.com

                """))).isEqualTo(refusal(426, "this endpoint speaks WebSocket only",
                "Upgrade: websocket", "Sec-WebSocket-Version: 13, 8, 7"));
    }

    @Test
    void servesAnHttp10RequestWithoutHost() {
        assertThat(refusedAnswer(SERVER, "GET / HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n").endsWith(PAGE);
    }

    @Test
    void refusesAnHttp11RequestWithoutHostBeforeTheHook() {
        assertThat(refusedAnswer(SERVER, "GET / HTTP/1.1\r\n\r\n")).isEqualTo(refusal(400, "missing Host header"));
    }

    @Test
    void releasesARequestBodyItDoesNotRead() {
        assertThat(refusedAnswer(SERVER, crlf("""
                POST / HTTP/1.1
                Host: chat.example.com
                Content-Length: 11

                """) + "hello world")).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void replacesLengthAndConnectionFieldsTheHookSet() {
        ServerHandshake lying = ServerHandshake.builder()
                .plainHttp((request, allocator) -> Mono.fromCallable(() -> HttpResponse.of(204,
                        HttpHeaders.of("Content-Length", "99", "Connection", "keep-alive"))))
                .build();

        assertThat(refusedAnswer(lying, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(crlf("""
                HTTP/1.1 204 No Content
                Content-Length: 0
                Connection: close

                """));
    }

    @Test
    void responseTextIsUtf8() {
        HttpResponse response = HttpResponse.text(200, "grüße", io.sluice.test.SluiceTest.allocator());
        try {
            assertThat(ByteBufUtil.getBytes(response.body())).isEqualTo("grüße\n".getBytes(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }
}
