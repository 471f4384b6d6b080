package io.sluice.filters.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.Compression;
import io.sluice.filters.fuzz.WarnLines;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Bad input over a real socket gets one WARN line, from the filter that refused it, even when the application's
 * handler then fails with the same error (an echo, {@code c.send(c.receive())}, does).
 */
class BadInputLogsOnceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aLineOverTheLimitIsLoggedOnce() throws Exception {
        assertThat(warnLines(LineFraming.builder().maxLineLength(4).build(), "way too long\n"))
                .singleElement().asString().contains("closing on bad framing: line exceeds the limit of 4 bytes");
    }

    @Test
    void dataThatDoesNotDecompressIsLoggedOnce() throws Exception {
        assertThat(warnLines(Compression.of(Codec.GZIP), "this is not gzip"))
                .singleElement().asString().contains("bad gzip input");
    }

    private static List<String> warnLines(Filter filter, String input) throws Exception {
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        try (WarnLines lines = WarnLines.capture()) {
            Server server = Server.tcp().allocator(SluiceTest.allocator()).filter(filter)
                    .handler(c -> c.send(c.receive())).bind().block(TIMEOUT);
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
            try {
                Connection c = client.connect().block(TIMEOUT);
                c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeBytes(bytes))).block(TIMEOUT);
                c.receive().doOnNext(ByteBuf::release).then().onErrorResume(e -> Mono.empty()).block(TIMEOUT);
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (server.metrics().closed() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(server.metrics().closed()).as("connections the server closed").isEqualTo(1);
            } finally {
                client.dispose().block(TIMEOUT);
                server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
            }
            return lines.take();
        }
    }
}
