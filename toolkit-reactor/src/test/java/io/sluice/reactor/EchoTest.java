package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class EchoTest {

    @Test
    void echoesEveryByteInOrder() {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).handler(c -> c.send(c.receive())).bind().block(Duration.ofSeconds(5));
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(Duration.ofSeconds(5));
            byte[] data = new byte[1 << 20];
            ThreadLocalRandom.current().nextBytes(data);
            Flux<ByteBuf> out = Flux.range(0, 256).map(i -> {
                ByteBuf b = c.budget().allocator().buffer(4096);
                b.writeBytes(data, i * 4096, 4096);
                return b;
            });
            c.send(out).subscribe();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            c.receive()
                    .doOnNext(b -> {
                        byte[] chunk = new byte[b.readableBytes()];
                        b.readBytes(chunk);
                        b.release();
                        got.write(chunk, 0, chunk.length);
                    })
                    .takeUntil(b -> got.size() >= data.length)
                    .then()
                    .block(Duration.ofSeconds(15));
            assertThat(got.toByteArray()).isEqualTo(data);
            c.close();
            c.onClose().block(Duration.ofSeconds(5));
            assertThat(c.budget().outstandingBytes()).isZero();
        } finally {
            client.dispose().block(Duration.ofSeconds(10));
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().bytesIn()).isEqualTo(1 << 20);
    }
}
