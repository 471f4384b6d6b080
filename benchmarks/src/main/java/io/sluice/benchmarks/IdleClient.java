package io.sluice.benchmarks;

import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Holds idle connections open for the heap-per-connection measurement, in a process of its own (each side of
 * 15,000 connections needs 15,000 file descriptors). Obeys lines on stdin:
 * <ul>
 *   <li>{@code open PORT N}: opens N connections to 127.0.0.1:PORT and prints {@code opened N};</li>
 *   <li>{@code close}: closes them all and prints {@code closed};</li>
 *   <li>{@code quit} or end of stdin: exits.</li>
 * </ul>
 * Nothing is ever sent: the connections are connected, the server's handler is running, and there is no traffic.
 */
public final class IdleClient {

    private static final int CONNECT_CONCURRENCY = 128;

    private IdleClient() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Client client = null;
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("open") && words.length == 3) {
                int port = Integer.parseInt(words[1]);
                int n = Integer.parseInt(words[2]);
                client = Client.tcp().port(port).eventLoopThreads(1).build();
                Client c = client;
                List<Connection> opened = Flux.range(0, n)
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
