package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.websocket.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import reactor.test.StepVerifier;

/** Runs a server handshake against literal request text and returns what the server answered. */
final class Answers {

    private Answers() {
    }

    /**
     * Writes {@code request} from the peer, runs {@code handshake}, expects no upgrade (an empty result and the
     * connection closed), and returns the whole answer; ends with the leak checks.
     */
    static String refusedAnswer(ServerHandshake handshake, String... writes) {
        WirePipe wire = WirePipe.whole();
        CompletableFuture<String> answer = wire.peerReceivesAll().toFuture();
        wire.peerWrites(writes);
        StepVerifier.create(handshake.accept(wire.local)).expectComplete().verify(TIMEOUT);
        String text = answer.join();
        wire.closeAndAssertNothingLeaks();
        return text;
    }

    /** The exact text answer the server sends when it refuses with {@code status} and {@code reason}. */
    static String refusal(int status, String reason, String... extraHeaderLines) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
                .append(HttpStatus.reason(status)).append("\r\n");
        boolean upgrade = false;
        for (String line : extraHeaderLines) {
            sb.append(line).append("\r\n");
            upgrade |= line.startsWith("Upgrade:");
        }
        int length = (reason + "\n").getBytes(StandardCharsets.UTF_8).length;
        sb.append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: ").append(upgrade ? "Upgrade, close" : "close").append("\r\n\r\n")
                .append(reason).append('\n');
        return sb.toString();
    }

    static void assertStatusLine(String answer, int status) {
        assertThat(answer).startsWith("HTTP/1.1 " + status + " " + HttpStatus.reason(status) + "\r\n");
    }
}
