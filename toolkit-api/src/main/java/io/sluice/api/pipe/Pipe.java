package io.sluice.api.pipe;

import io.sluice.api.BufferBudget;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;

/**
 * Two connected {@link Connection}s in one JVM, for testing filters and handlers without sockets.
 *
 * <p>Each direction behaves like a stream socket: a write is split into reads by the {@link Chunking} option and
 * copied into buffers of the receiving end's {@link BufferBudget}; delivery follows the receiver's demand, and stops
 * while the receiver's budget is exhausted, which in turn stops taking buffers from the sender's publisher. So a
 * send makes progress only while the other end reads: {@code send(...).block()} before the peer subscribes to
 * {@code receive()} waits for ever. A send completes when all its bytes were handed to the other end.
 *
 * <p>Closing an end delivers what its completed sends handed over, then completes the peer's inbound stream; a send
 * still running fails with {@link io.sluice.api.ConnectionClosedException} and its undelivered buffers are
 * released, as unwritten data is lost when a socket closes. Sends towards a closed end fail likewise. After
 * {@code receive()} is cancelled, the end keeps taking and releasing what the peer sends, as a socket keeps reading.
 *
 * <p>Signals are delivered on the thread that caused them (a request, a write, a close), serialized by a drain loop.
 */
public final class Pipe {

    /** One end of a pipe: a connection with the extra controls a test needs. */
    public interface End extends Connection {

        /** Half-closes: what was sent is delivered, then the peer's inbound stream completes. */
        void shutdownOutput();

        /** Resets the connection: both ends' inbound streams and pending sends fail at once; this end closes. */
        void reset();

        /** While stalled, nothing is delivered to this end (its peer's sends back up). */
        void stall(boolean stalled);
    }

    private final PipeEnd left;
    private final PipeEnd right;

    private Pipe(PipeOptions options) {
        this.left = new PipeEnd(options, ConnectionInfo.of(options.name + "-left", null, null));
        this.right = new PipeEnd(options, ConnectionInfo.of(options.name + "-right", null, null));
        Lane leftToRight = new Lane(left, right, options.chunking);
        Lane rightToLeft = new Lane(right, left, options.chunking);
        left.connect(rightToLeft, leftToRight);
        right.connect(leftToRight, rightToLeft);
    }

    public static Pipe create() {
        return new Pipe(PipeOptions.defaults());
    }

    public static Pipe create(PipeOptions options) {
        return new Pipe(options);
    }

    /** By convention the client side. */
    public End left() {
        return left;
    }

    /** By convention the server side. */
    public End right() {
        return right;
    }

    /** Closes both ends. */
    public void close() {
        left.close();
        right.close();
    }
}
