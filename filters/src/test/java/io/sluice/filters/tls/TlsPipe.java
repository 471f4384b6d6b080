package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A client and a server TLS connection over one in-memory pipe on the test's allocator, and the byte helpers the
 * tests share. Buffers made here belong to the caller; gathered inbound buffers are released as they are read.
 */
final class TlsPipe {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final Pipe pipe;
    final Connection client;
    final Connection server;

    TlsPipe(Pipe pipe, Connection client, Connection server) {
        this.pipe = pipe;
        this.client = client;
        this.server = server;
    }

    /** Both sides on the given protocol and the providers of {@code engines}, writes split by {@code chunking}. */
    static TlsPipe create(ProviderEngines engines, String protocol, Chunking chunking) {
        return create(chunking, engines.client(protocol), engines.server(protocol), TlsDriverSettings.defaults());
    }

    static TlsPipe create(Chunking chunking, TlsEngineSource client, TlsEngineSource server,
                          TlsDriverSettings settings) {
        Pipe pipe = TrackedPipes.create(chunking);
        return over(pipe, client, server, settings);
    }

    static TlsPipe over(Pipe pipe, TlsEngineSource client, TlsEngineSource server, TlsDriverSettings settings) {
        Connection c = Tls.over(client, settings).apply(pipe.left());
        Connection s = Tls.over(server, settings).apply(pipe.right());
        return new TlsPipe(pipe, c, s);
    }

    /** The server echoes what it receives, and closes when its input ends. */
    TlsPipe echo() {
        server.send(server.receive()).onErrorResume(e -> Mono.empty()).doFinally(s -> server.close()).subscribe();
        return this;
    }

    /** Waits until both TLS connections have closed their lower connections themselves. */
    void awaitBothClosed() {
        Mono.when(client.onClose(), server.onClose()).block(TIMEOUT);
    }

    /** Closes both ends and waits until both are closed, so that their budgets are checked. */
    void closeAndAwait() {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }

    static ByteBuf buffer(Connection c, byte[] bytes) {
        return c.budget().allocator().buffer(Math.max(1, bytes.length)).writeBytes(bytes);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Every byte {@code in} emits, in one array; buffers released as they are read. */
    static Mono<byte[]> gather(Flux<ByteBuf> in) {
        return in.collect(ByteArrayOutputStream::new, (acc, b) -> {
            try {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                acc.writeBytes(bytes);
            } finally {
                b.release();
            }
        }).map(ByteArrayOutputStream::toByteArray);
    }

    /** The first {@code n} bytes {@code in} emits (then it is cancelled); buffers released as they are read. */
    static Mono<byte[]> gather(Flux<ByteBuf> in, int n) {
        if (n == 0) {
            return Mono.just(new byte[0]);
        }
        AtomicLong total = new AtomicLong();
        return gather(in.doOnNext(b -> total.addAndGet(b.readableBytes())).takeUntil(b -> total.get() >= n));
    }
}
