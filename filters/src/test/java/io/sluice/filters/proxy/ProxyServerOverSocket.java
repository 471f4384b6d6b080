package io.sluice.filters.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.sluice.api.Connection;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A Sluice server on 127.0.0.1 with the PROXY protocol filter whose handler notes whom it sees on its first line (the
 * server starts it once the header is in: {@link io.sluice.api.Connection#ready()}), reads the first bytes and
 * answers with that, one line: {@code remote=/IP:PORT local=/IP:PORT header=V2 uid=... crc=yes}, wrapped as an
 * HTTP response when the request looks like HTTP (for curl).
 */
final class ProxyServerOverSocket implements AutoCloseable {

    final Server server;

    ProxyServerOverSocket(ProxyProtocolServer filter) {
        this.server = Server.tcp()
                .host("127.0.0.1").port(0)
                .allocator(SluiceTest.allocator())
                .filter(filter)
                .handler(ProxyServerOverSocket::answer)
                .bind().block(Duration.ofSeconds(10));
    }

    int port() {
        return server.port();
    }

    private static Mono<Void> answer(Connection c) {
        String line = describe(c); // before anything is read: the handler starts with the header's addresses
        return c.receive().next().flatMap(first -> {
            boolean http;
            try {
                http = first.toString(US_ASCII).startsWith("GET ");
            } finally {
                first.release();
            }
            String reply = http
                    ? "HTTP/1.1 200 OK\r\nContent-Length: " + line.length() + "\r\nConnection: close\r\n\r\n" + line
                    : line;
            return c.send(Mono.fromCallable(() -> c.budget().allocator().buffer().writeBytes(reply.getBytes(US_ASCII))));
        });
    }

    static String describe(Connection c) {
        ProxyHeader h = c.info().attribute(ProxyProtocol.HEADER).orElse(null);
        StringBuilder s = new StringBuilder("remote=" + c.info().remoteAddress() + " local=" + c.info().localAddress());
        if (h != null) {
            s.append(" header=").append(h.version()).append(' ').append(h.command());
            h.uniqueId().ifPresent(id -> s.append(" uid=").append(new String(id, US_ASCII)));
            h.tlv(ProxyTlv.CRC32C).ifPresent(t -> s.append(" crc=yes"));
        }
        return s.append('\n').toString();
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    }
}
