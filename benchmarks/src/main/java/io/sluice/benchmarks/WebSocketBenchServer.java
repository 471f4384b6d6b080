package io.sluice.benchmarks;

import io.sluice.samples.Options;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket echo server of a given kind ({@link WebSocketEchoServers}), run as a child process of
 * {@link CompareWebSocket}; speaks {@link BenchServer}'s protocol: prints {@code listening on HOST:PORT}, answers
 * {@code gc} with {@code heap used=BYTES direct=BYTES}, and exits on {@code quit} or the end of stdin.
 */
public final class WebSocketBenchServer {

    private WebSocketBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options("WebSocketBenchServer", "A WebSocket echo server of one kind, controlled over "
                + "stdin.")
                .option("kind", "KIND", "sluice", "sluice or reactor")
                .option("host", "ADDRESS", "127.0.0.1", "address to listen on")
                .option("port", "PORT", "0", "port to listen on (0 picks a free one)")
                .option("threads", "N", "1", "event-loop threads")
                .flag("deflate", "accept permessage-deflate")
                .parseOrExit(args);
        String host = options.string("host");
        RunningServer server = WebSocketEchoServers.start(EchoKind.of(options.string("kind")), host,
                options.integer("port"), options.integer("threads"), options.flagSet("deflate"));
        System.out.println("listening on " + host + ":" + server.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            if (line.equals("gc")) {
                System.out.println(BenchServer.heapAfterGc());
            }
        }
        server.stop();
        System.exit(0);
    }
}
