package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The test side of a pipe: buffers made on a connection's budget, inbound bytes gathered, both ends awaited.
 * Buffers returned are the caller's; gathered inbound buffers are released here.
 */
final class CompressedPipe {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CompressedPipe() {
    }

    static ByteBuf buffer(Connection c, byte[] bytes) {
        return c.budget().allocator().buffer(bytes.length).writeBytes(bytes);
    }

    /** Every byte {@code in} emits, in one array; each buffer is released as it is read. */
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

    /** The byte count and CRC32 of what {@code in} emits, without holding it; buffers released as read. */
    static Mono<StreamDigest> digest(Flux<ByteBuf> in) {
        return in.collect(StreamDigest::new, (digest, b) -> {
            try {
                digest.update(b);
            } finally {
                b.release();
            }
        });
    }

    /** Closes both ends and waits until they are closed, so their budgets are checked. */
    static void closeAndAwait(Pipe pipe) {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }
}
