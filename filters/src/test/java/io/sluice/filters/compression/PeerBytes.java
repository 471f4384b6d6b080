package io.sluice.filters.compression;

import static io.sluice.filters.compression.CompressedPipe.TIMEOUT;
import static io.sluice.filters.compression.CompressedPipe.buffer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import reactor.core.publisher.Mono;

/**
 * Bytes written by a peer that does not compress (the pipe's left end, raw) and read through the filter on the
 * right end: what a decoder makes of input nobody here encoded.
 */
final class PeerBytes {

    private PeerBytes() {
    }

    /** Decodes {@code wire}, sent as one write and then closed, split by {@code chunking}; the decoded bytes. */
    static byte[] decode(CompressionOptions options, Chunking chunking, byte[] wire) {
        Pipe pipe = TrackedPipes.create(chunking);
        Mono<byte[]> decoded = CompressedPipe.gather(Compression.of(options).apply(pipe.right()).receive()).cache();
        decoded.subscribe(null, e -> { });
        pipe.left().send(Mono.just(buffer(pipe.left(), wire))).block(TIMEOUT);
        pipe.left().shutdownOutput();
        try {
            return decoded.block(TIMEOUT);
        } finally {
            CompressedPipe.closeAndAwait(pipe);
        }
    }

    static byte[] decode(Codec codec, Chunking chunking, byte[] wire) {
        return decode(CompressionOptions.builder(codec).build(), chunking, wire);
    }

    /**
     * Sends {@code wire} and returns the error the filter's {@code receive()} fails with, after checking that the
     * filter closed the lower connection by itself (the test closes nothing before).
     */
    static Throwable failure(Codec codec, Chunking chunking, byte[] wire) {
        Pipe pipe = TrackedPipes.create(chunking);
        Throwable[] error = new Throwable[1];
        Compression.of(codec).apply(pipe.right()).receive()
                .subscribe(b -> b.release(), e -> error[0] = e);
        // The send may fail when the receiver closes mid-write; either way every buffer is the pipe's to release.
        pipe.left().send(Mono.just(buffer(pipe.left(), wire))).onErrorResume(e -> Mono.empty()).block(TIMEOUT);
        pipe.left().shutdownOutput();
        assertThat(error[0]).as("receive() failed").isNotNull();
        pipe.left().close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
        return error[0];
    }
}
