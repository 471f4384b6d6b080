package io.sluice.reactor;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import java.time.Duration;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Regression: receive() subscribed after the connection ended used to hang instead of completing. */
class LateSubscriberTest {

    @Test
    void receiveSubscribedAfterThePeerClosedCompletes() {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(c -> Mono.empty()).bind().block(Duration.ofSeconds(5));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            c.onClose().block(Duration.ofSeconds(5)); // the server's handler ends at once, closing the connection
            StepVerifier.create(c.receive().doOnNext(ByteBuf::release))
                    .expectComplete()
                    .verify(Duration.ofSeconds(5));
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
    }
}
