package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BudgetLeak;
import io.sluice.api.Connection;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class LeakReportTest {

    @Test
    void aHandlerThatKeepsABufferIsReportedAsALeakNamingTheStage() {
        ConcurrentLinkedQueue<ByteBuf> kept = new ConcurrentLinkedQueue<>();
        Server server = Server.tcp()
                .allocator(SluiceTest.allocator())
                // then() hands each buffer to the discard hook, which releases it; the retain is the leak.
                .handler(c -> c.receive().doOnNext(b -> kept.add(b.retain().touch("kept by the test handler")))
                        .then())
                .bind().block(Duration.ofSeconds(5));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            ByteBuf hello = c.budget().allocator().buffer(5).writeBytes(new byte[] {'h', 'e', 'l', 'l', 'o'});
            c.send(Mono.just(hello)).block(Duration.ofSeconds(5));
            c.close();
            c.onClose().block(Duration.ofSeconds(5));
            // The client may finish closing before the server has even accepted: wait for the server's close, which
            // comes only after the connection waited about a second for the kept buffer (a bound generous enough for
            // a loaded machine).
            assertThat(ServerWaits.awaitClosed(server, 1, Duration.ofSeconds(20))).as("server connections closed")
                    .isEqualTo(1);

            assertThat(server.metrics().leaks()).isEqualTo(1);
            List<BudgetLeak> leaks = SluiceTest.claimBudgetLeaks();
            assertThat(leaks).hasSize(1);
            assertThat(leaks.get(0).buffers()).isEqualTo(1);
            assertThat(leaks.get(0).message()).contains("kept by the test handler");
        } finally {
            kept.forEach(ByteBuf::release);
            client.dispose().block(Duration.ofSeconds(10));
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
    }
}
