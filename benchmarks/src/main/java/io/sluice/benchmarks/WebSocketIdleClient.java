package io.sluice.benchmarks;

import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * {@link IdleClient}'s WebSocket mode: holds idle WebSocket sessions open (opening handshake done, no messages)
 * for the memory-per-connection measurement of {@link CompareWebSocket}, in a process of its own. Obeys lines on
 * stdin:
 * <ul>
 *   <li>{@code open PORT N [deflate]}: opens N sessions to {@code ws://127.0.0.1:PORT/}, offering
 *       permessage-deflate when asked, and prints {@code opened N};</li>
 *   <li>{@code close}: closes them all (closing handshake, 1001) and prints {@code closed};</li>
 *   <li>{@code quit} or end of stdin: exits.</li>
 * </ul>
 */
public final class WebSocketIdleClient {

    private static final int CONNECT_CONCURRENCY = 128;

    private WebSocketIdleClient() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        WebSocketClient client = null;
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("open") && (words.length == 3 || words.length == 4)) {
                WebSocketClient.Builder builder = WebSocket.client("ws://127.0.0.1:" + words[1] + "/")
                        .transport(t -> t.eventLoopThreads(1));
                if (words.length == 4 && words[3].equals("deflate")) {
                    builder.permessageDeflate();
                }
                client = builder.build();
                WebSocketClient c = client;
                List<WebSocketSession> opened = Flux.range(0, Integer.parseInt(words[2]))
                        .flatMap(i -> c.connect(), CONNECT_CONCURRENCY)
                        .collectList()
                        .block(Duration.ofMinutes(3));
                System.out.println("opened " + opened.size());
            } else if (words[0].equals("close") && client != null) {
                client.dispose().block(Duration.ofSeconds(60));
                client = null;
                System.out.println("closed");
            } else {
                System.out.println("error: unknown command '" + line + "'");
            }
        }
        if (client != null) {
            client.dispose().block(Duration.ofSeconds(60));
        }
        System.exit(0);
    }
}
