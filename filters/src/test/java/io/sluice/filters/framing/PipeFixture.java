package io.sluice.filters.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.api.pipe.PipeOptions;
import io.sluice.test.LeakTrackingAllocator;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A pipe whose left end plays the raw peer and whose right end is the lower connection of the filter under test,
 * with the checks every test ends with: both ends closed, both budgets at zero, every buffer released.
 */
final class PipeFixture {

    final LeakTrackingAllocator allocator = SluiceTest.allocator();
    final Pipe pipe;
    final Pipe.End peer;
    final Pipe.End lower;
    /** Each {@code request(n)} the filter made on {@link #lower}'s inbound stream, in order. */
    final List<Long> lowerRequests = new CopyOnWriteArrayList<>();
    final List<Throwable> sendErrors = new CopyOnWriteArrayList<>();

    PipeFixture(Chunking chunking) {
        this.pipe = Pipe.create(PipeOptions.defaults().allocator(allocator).chunking(chunking));
        this.peer = pipe.left();
        this.lower = pipe.right();
    }

    static PipeFixture wholeWrites() {
        return new PipeFixture(Chunking.whole());
    }

    /** {@link #lower} as the filter should see it, recording the filter's demand. */
    Connection recordedLower() {
        return new ConnectionLayer(lower) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().doOnRequest(lowerRequests::add);
            }
        };
    }

    /** The peer writes each hex string as one write (split further by the chunking), then keeps its side open. */
    void peerWrites(String... hexWrites) {
        List<ByteBuf> bufs = new ArrayList<>();
        for (String hex : hexWrites) {
            bufs.add(peerBuffer(hex));
        }
        peer.send(Flux.fromIterable(bufs)).subscribe(null, sendErrors::add);
    }

    /** The peer writes each hex string as one write, then shuts its output, ending the filter's inbound stream. */
    void peerWritesAndShuts(String... hexWrites) {
        List<ByteBuf> bufs = new ArrayList<>();
        for (String hex : hexWrites) {
            bufs.add(peerBuffer(hex));
        }
        peer.send(Flux.fromIterable(bufs)).then(Mono.fromRunnable(peer::shutdownOutput))
                .subscribe(null, sendErrors::add);
    }

    /** Everything the peer receives, as one hex string, once the filter's side has closed. */
    Mono<String> peerReceivesAll() {
        return peer.receive()
                .map(PipeFixture::hexAndRelease)
                .collect(StringBuilder::new, StringBuilder::append)
                .map(StringBuilder::toString);
    }

    ByteBuf peerBuffer(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        return peer.budget().allocator().buffer(bytes.length).writeBytes(bytes);
    }

    ByteBuf lowerBuffer(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        return lower.budget().allocator().buffer(bytes.length).writeBytes(bytes);
    }

    ByteBuf lowerText(String text) {
        return lowerBuffer(ByteBufUtil.hexDump(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static String hexAndRelease(ByteBuf buf) {
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    static String textAndRelease(ByteBuf buf) {
        try {
            return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    /** Closes the pipe and checks that nothing is left: both ends closed, budgets at zero, buffers released. */
    void closeAndAssertNothingLeaks() {
        pipe.close();
        StepVerifier.create(Mono.when(peer.onClose(), lower.onClose())).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(peer.budget().outstandingBytes()).as("peer budget").isZero();
        assertThat(lower.budget().outstandingBytes()).as("lower budget").isZero();
        allocator.assertNoLeaks();
    }

    static String hex(String spaced) {
        return spaced.replace(" ", "");
    }
}
