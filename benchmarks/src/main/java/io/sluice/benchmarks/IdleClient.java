package io.sluice.benchmarks;

import io.sluice.api.Connection;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.reactor.Client;
import io.sluice.samples.ClientTls;
import io.sluice.samples.Options;
import io.sluice.samples.TlsFlags;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds idle connections open for the heap-per-connection measurement, in a process of its own (each side of
 * 15,000 connections needs 15,000 file descriptors). Obeys lines on stdin:
 * <ul>
 *   <li>{@code open PORT N}: opens N connections to 127.0.0.1:PORT and prints {@code opened N};</li>
 *   <li>{@code close}: closes them all (over TLS with close_notify) and prints {@code closed};</li>
 *   <li>{@code quit} or end of stdin: exits.</li>
 * </ul>
 * Plain connections send nothing: they are connected, the server's handler is running, and there is no traffic.
 * With {@code --tls PROVIDER --ca FILE}, each connection completes its TLS handshake and one byte's round trip
 * ({@link Ping}) before it counts as opened, so that the server has finished its handshake too, and is idle after.
 */
public final class IdleClient {

    private static final int CONNECT_CONCURRENCY = 128;

    private IdleClient() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options("IdleClient", "Idle connections on command, for the idle-memory measurement.")
                .option("tls", "PROVIDER", null, "TLS with jdk, bc or openssl")
                .option("ca", "FILE", null, "with --tls: the CA (or self-signed certificate) to trust")
                .parseOrExit(args);
        ClientTls tls = options.has("tls")
                ? ClientTls.trusting(TlsFlags.provider(options.string("tls")), Path.of(options.string("ca"))) : null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Client client = null;
        TlsFilter filter = null;
        List<Connection> opened = List.of();
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("open") && words.length == 3) {
                int port = Integer.parseInt(words[1]);
                int n = Integer.parseInt(words[2]);
                Client.Builder builder = Client.tcp().port(port).eventLoopThreads(1);
                if (tls != null) {
                    filter = tls.filter("127.0.0.1", port);
                    builder.filter(filter);
                }
                client = builder.build();
                Client c = client;
                boolean ping = tls != null;
                opened = Flux.range(0, n)
                        .flatMap(i -> c.connect().flatMap(connection -> ping
                                ? Ping.ping(connection).thenReturn(connection) : Mono.just(connection)),
                                CONNECT_CONCURRENCY)
                        .collectList()
                        .block(Duration.ofMinutes(3));
                System.out.println("opened " + opened.size());
            } else if (words[0].equals("close") && client != null) {
                // One by one through the filters first: over TLS, each says close_notify rather than vanishing.
                List<Connection> open = opened;
                Flux.fromIterable(open).flatMap(c -> {
                    c.close();
                    return c.onClose().onErrorResume(e -> Mono.empty());
                }, CONNECT_CONCURRENCY).then().block(Duration.ofSeconds(60));
                opened = List.of();
                client.dispose().block(Duration.ofSeconds(60));
                client = null;
                if (filter != null) {
                    filter.close();
                    filter = null;
                }
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
