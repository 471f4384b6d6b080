package io.sluice.reactor;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import java.time.Duration;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import static org.assertj.core.api.Assertions.assertThat;

/** A client's receive() subscribed after the peer closed still gets what arrived, then completes. */
class LateSubscriberTest {

    /** Regression: receive() subscribed after the connection ended used to hang instead of completing. */
    @Test
    void receiveSubscribedAfterThePeerClosedCompletes() {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(c -> Mono.empty()).bind().block(Duration.ofSeconds(5));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            awaitServerClosed(server); // the server's handler ends at once, closing the connection
            Mono.delay(Duration.ofMillis(100)).block(); // and the client sees the close
            StepVerifier.create(c.receive().doOnNext(ByteBuf::release))
                    .expectComplete()
                    .verify(Duration.ofSeconds(5));
            c.onClose().block(Duration.ofSeconds(5));
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
    }

    /**
     * Regression: a client connection discarded what it had read when the peer closed before the application
     * subscribed to receive(), so the bytes sent just before a close were lost.
     */
    @Test
    void bytesThatArrivedBeforeThePeerClosedReachALateSubscriber() {
        Server server = Server.tcp().allocator(SluiceTest.allocator())
                .handler(c -> c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer(200).writeZero(200))))
                .bind().block(Duration.ofSeconds(5));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            awaitServerClosed(server);
            Mono.delay(Duration.ofMillis(100)).block(); // let the client see the data and the close
            StepVerifier.create(c.receive().map(b -> {
                        int n = b.readableBytes();
                        b.release();
                        return n;
                    }).reduce(0, Integer::sum))
                    .expectNext(200)
                    .expectComplete()
                    .verify(Duration.ofSeconds(5));
            c.onClose().block(Duration.ofSeconds(5));
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
        assertThat(client.metrics().leaks()).isZero();
    }

    static void awaitServerClosed(Server server) {
        ServerWaits.awaitClosed(server, 1, Duration.ofSeconds(5));
    }
}
