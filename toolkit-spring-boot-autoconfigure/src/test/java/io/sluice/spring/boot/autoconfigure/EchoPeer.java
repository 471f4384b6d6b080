package io.sluice.spring.boot.autoconfigure;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.reactor.Client;
import io.sluice.test.SluiceTest;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import reactor.core.publisher.Mono;

/** A real TCP client on the test's leak-tracking allocator that sends text and reads back as many bytes. */
final class EchoPeer {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private EchoPeer() {
    }

    /** Sends {@code text} through {@code filters} (socket first) and returns what comes back, as long. */
    static String roundTrip(int port, String text, Filter... filters) {
        Client.Builder builder = Client.tcp().allocator(SluiceTest.allocator()).port(port).eventLoopThreads(1);
        for (Filter filter : filters) {
            builder.filter(filter);
        }
        Client client = builder.build();
        try {
            Connection c = client.connect().block(BOUND);
            byte[] bytes = text.getBytes(UTF_8);
            c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer(bytes.length).writeBytes(bytes)))
                    .subscribe();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            c.receive()
                    .doOnNext(b -> copyAndRelease(b, got))
                    .takeUntil(b -> got.size() >= bytes.length)
                    .then()
                    .block(BOUND);
            c.close();
            c.onClose().block(BOUND);
            return got.toString(UTF_8);
        } finally {
            client.dispose().block(BOUND);
        }
    }

    private static void copyAndRelease(ByteBuf b, ByteArrayOutputStream into) {
        try {
            byte[] chunk = new byte[b.readableBytes()];
            b.readBytes(chunk);
            into.write(chunk, 0, chunk.length);
        } finally {
            b.release();
        }
    }
}
