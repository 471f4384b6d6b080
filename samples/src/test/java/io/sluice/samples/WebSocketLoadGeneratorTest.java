package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load generator's WebSocket mode against the {@code websocket-echo} sample, in-process, for a second. */
class WebSocketLoadGeneratorTest {

    private static final Duration BIND = Duration.ofSeconds(10);

    @Test
    void echoesEveryBinaryMessageWithoutFailuresOrLeaks() {
        Server server = WebSocketEchoServer.bind(WebSocketEchoServer.options()
                .parse("--port", "0", "--threads", "1", "--no-deflate")).block(BIND);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LoadReport report;
        try {
            report = WebSocketLoadGenerator.run(settings(server, 4, 100, 2), "/", false, 0,
                    new PrintStream(progress, true, StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.connections()).isEqualTo(4);
        assertThat(report.messages()).isPositive();
        assertThat(report.failures()).as(report.firstFailure()).isZero();
        assertThat(report.resultLine()).startsWith("RESULT connections=4 size=100 pipeline=2 ");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("msgs/s").doesNotContain("offering");
        assertThat(server.metrics().leaks()).isZero();
        // Every message went out framed (6 header bytes, masked) and came back framed (2 header bytes).
        assertThat(server.metrics().bytesIn()).isGreaterThan(report.messages() * 106);
    }

    @Test
    void offersPermessageDeflateAndSendsFewerBytesThanThePayload() {
        Server server = WebSocketEchoServer.bind(WebSocketEchoServer.options()
                .parse("--port", "0", "--threads", "1")).block(BIND);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LoadReport report;
        try {
            report = WebSocketLoadGenerator.run(settings(server, 3, 4096, 1), "/", true, 0,
                    new PrintStream(progress, true, StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.messages()).isPositive();
        assertThat(report.failures()).as(report.firstFailure()).isZero();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("offering permessage-deflate");
        assertThat(server.metrics().leaks()).isZero();
        // The repetitive payload compresses: far fewer bytes crossed the wire than were counted.
        assertThat(server.metrics().bytesIn()).isLessThan(report.messages() * 4096 / 4);
    }

    @Test
    void countsAnAnswerOfAnotherSizeAsAFailure() {
        Server server = Server.tcp().port(0).eventLoopThreads(1)
                .handler(WebSocket.server().build(session -> session.send(session.receive().map(m -> {
                    m.release();
                    return WebSocketMessage.binary(session.allocator(), new byte[1]);
                }))))
                .bind().block(BIND);
        LoadReport report;
        try {
            report = WebSocketLoadGenerator.run(settings(server, 2, 64, 1), "/", false, 0,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.failures()).isPositive();
        assertThat(report.firstFailure()).contains("unexpected message of 1 bytes");
        assertThat(server.metrics().leaks()).isZero();
    }

    private static LoadSettings settings(Server server, int connections, int size, int pipeline) {
        return new LoadSettings("127.0.0.1", server.port(), connections, size, Duration.ofSeconds(1), Duration.ZERO,
                0, pipeline, 1);
    }
}
