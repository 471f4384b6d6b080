package io.sluice.filters.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ReferenceCountUtil;
import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Regression: frames cut from one read share its memory, and a handler that releases each frame and then ignores
 * them ({@code doOnNext(release).then()}, where {@code then()} also hands each frame to the discard hook) released
 * every frame twice, the second time taking a reference its siblings needed.
 */
class ReleaseThenDiscardTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void releasingFramesBeforeThenReleasesEachOnceOverSockets() throws Exception {
        CompletableFuture<String> handlerEnd = new CompletableFuture<>();
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .filter(LineFraming.defaults())
                .handler(c -> c.receive().doOnNext(ReferenceCountUtil::release).then()
                        .doOnSuccess(v -> handlerEnd.complete("completed"))
                        .doOnError(e -> handlerEnd.complete("failed: " + e)))
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(TIMEOUT);
            byte[] lines = "one\ntwo\nthree\nfour\n".getBytes(StandardCharsets.US_ASCII);
            c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeBytes(lines))).block(TIMEOUT);
            c.close();
            c.onClose().block(TIMEOUT);
            assertThat(handlerEnd.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("completed");
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().outstandingBytes()).isZero();
    }
}
