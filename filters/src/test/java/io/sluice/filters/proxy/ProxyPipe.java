package io.sluice.filters.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.SluiceTest;
import io.sluice.test.TrackedPipes;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A pipe whose left end plays the proxy (raw bytes) and whose right end, given transport addresses, is the lower
 * connection of the filter under test.
 */
final class ProxyPipe {

    static final InetSocketAddress TRANSPORT_LOCAL = new InetSocketAddress("10.0.0.2", 8080);
    static final InetSocketAddress TRANSPORT_REMOTE = new InetSocketAddress("10.0.0.1", 40000);
    static final Duration WAIT = Duration.ofSeconds(5);

    final Pipe pipe;
    final Pipe.End peer;
    final Connection lower;

    ProxyPipe(Chunking chunking) {
        this.pipe = TrackedPipes.create(chunking);
        this.peer = pipe.left();
        this.lower = withAddresses(pipe.right(), TRANSPORT_LOCAL, TRANSPORT_REMOTE);
    }

    /** {@code c} with the given addresses in its info, as a socket connection has. */
    static Connection withAddresses(Connection c, InetSocketAddress local, InetSocketAddress remote) {
        ConnectionInfo info = c.info().withAddresses(local, remote);
        return new ConnectionLayer(c) {
            @Override
            public ConnectionInfo info() {
                return info;
            }
        };
    }

    /** The peer writes {@code bytes} as one write (split by the chunking), then keeps its side open. */
    void peerWrites(byte[] bytes) {
        peer.send(Mono.fromCallable(() -> peer.budget().allocator().buffer(bytes.length).writeBytes(bytes)))
                .subscribe(null, e -> { });
    }

    /** The peer writes {@code bytes}, then shuts its output. */
    void peerWritesAndShuts(byte[] bytes) {
        peer.send(Mono.fromCallable(() -> peer.budget().allocator().buffer(bytes.length).writeBytes(bytes)))
                .then(Mono.fromRunnable(peer::shutdownOutput))
                .subscribe(null, e -> { });
    }

    /** What came of one connection: the bytes passed on, or the error, and the upper connection's info then. */
    record Outcome(byte[] data, Throwable error, ConnectionInfo info) {
        ProxyHeader header() {
            return info.attribute(ProxyProtocol.HEADER).orElse(null);
        }
    }

    /** Applies {@code filter}, lets the peer write {@code input} and shut, and reads the upper connection to its end. */
    static Outcome run(Filter filter, byte[] input, Chunking chunking) {
        ProxyPipe p = new ProxyPipe(chunking);
        Connection upper = filter.apply(p.lower);
        p.peerWritesAndShuts(input);
        Outcome outcome = p.readAll(upper);
        p.closeAndAssertNothingLeaks();
        return outcome;
    }

    Outcome readAll(Connection upper) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable error = null;
        try {
            upper.receive().doOnNext(b -> append(out, b)).then().block(WAIT);
        } catch (RuntimeException e) {
            error = reactor.core.Exceptions.unwrap(e);
            if (error instanceof IllegalStateException && String.valueOf(error.getMessage()).startsWith("Timeout")) {
                throw new AssertionError("no end within " + WAIT, error);
            }
        }
        return new Outcome(out.toByteArray(), error, upper.info());
    }

    static void append(ByteArrayOutputStream out, ByteBuf b) {
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), bytes);
            out.writeBytes(bytes);
        } finally {
            b.release();
        }
    }

    void closeAndAssertNothingLeaks() {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(WAIT);
        assertThat(pipe.right().budget().outstandingBytes()).as("lower budget").isZero();
        SluiceTest.allocator().assertNoLeaks();
    }
}
