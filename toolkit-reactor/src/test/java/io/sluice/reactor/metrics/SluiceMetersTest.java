package io.sluice.reactor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class SluiceMetersTest {

    @Test
    void serverCountersAppearInTheMeterRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(c -> c.send(c.receive()))
                .bind().block(Duration.ofSeconds(5));
        SluiceMeters.bind("echo", server.metrics(), registry);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            ByteBuf ping = c.budget().allocator().buffer(4).writeInt(42);
            c.send(Mono.just(ping)).block(Duration.ofSeconds(5));
            c.receive().next().doOnNext(ByteBuf::release).block(Duration.ofSeconds(5));
            assertThat(registry.get("sluice.connections.active").tag("name", "echo").gauge().value()).isEqualTo(1);
            c.close();
            c.onClose().block(Duration.ofSeconds(5));
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
            server.shutdown(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        }
        assertThat(registry.get("sluice.connections.accepted").tag("name", "echo").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("sluice.connections.closed").tag("name", "echo").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("sluice.bytes.in").tag("name", "echo").functionCounter().count()).isEqualTo(4);
        assertThat(registry.get("sluice.bytes.out").tag("name", "echo").functionCounter().count()).isEqualTo(4);
        assertThat(registry.get("sluice.leaks").tag("name", "echo").functionCounter().count()).isZero();
        assertThat(registry.get("sluice.buffers.outstanding").tag("name", "echo").gauge().value()).isZero();
        assertThat(registry.find("sluice.leaks.process").functionCounter()).isNotNull();
    }
}
