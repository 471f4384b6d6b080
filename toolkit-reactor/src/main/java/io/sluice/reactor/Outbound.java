package io.sluice.reactor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.sluice.api.BufferDiscard;
import io.sluice.api.ConnectionClosedException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The outbound side of a socket connection: runs the connection's sends one after another, writing each buffer to
 * the channel as it arrives and flushing once per event-loop turn, so that a burst of buffers costs one system call.
 *
 * <p>Demand follows the socket: buffers are requested in batches while the channel is writable and not at all while
 * it is not, so a slow peer slows the producer (and the connection's budget, which counts unwritten bytes, stops
 * reading). All state is confined to the event loop; signals from other threads hop onto it, in order. Every buffer
 * received is either written (Netty then owns it) or released.
 */
final class Outbound {

    private static final int BATCH = 32;

    private final ChannelConnection connection;
    private final Channel channel;
    private final EventLoop eventLoop;
    private ChannelHandlerContext ctx;
    private Send current;
    private ArrayDeque<Send> waiting;
    private boolean closed;
    private boolean flushPending;
    private Runnable flushTask;

    Outbound(ChannelConnection connection, Channel channel) {
        this.connection = connection;
        this.channel = channel;
        this.eventLoop = channel.eventLoop();
    }

    /** Writes start from the gate's position in the pipeline. */
    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return new Mono<>() {
            @Override
            public void subscribe(CoreSubscriber<? super Void> actual) {
                Send send = new Send(data, actual);
                actual.onSubscribe(send);
                send.inLoop(() -> enqueue(send), () -> send.rejected());
            }
        };
    }

    /** The channel became writable again: pay the demand held back while it was not. */
    void writabilityChanged() {
        Send s = current;
        if (s != null && channel.isWritable()) {
            s.requestOwed();
        }
    }

    /** The channel closed: every send still running or waiting fails, and stops its source. */
    void channelClosed() {
        closed = true;
        ConnectionClosedException error = new ConnectionClosedException(
                "connection " + connection.info().id() + " closed before the send finished");
        if (current != null) {
            Send s = current;
            current = null;
            s.abort(error);
        }
        if (waiting != null) {
            Send s;
            while ((s = waiting.poll()) != null) {
                s.abort(error);
            }
        }
    }

    private void enqueue(Send send) {
        if (closed) {
            send.abort(new ConnectionClosedException("connection " + connection.info().id() + " is closed"));
            return;
        }
        if (current == null) {
            current = send;
            send.start();
        } else {
            if (waiting == null) {
                waiting = new ArrayDeque<>(2);
            }
            waiting.add(send);
        }
    }

    private void next(Send finished) {
        if (current != finished) {
            if (waiting != null) {
                waiting.remove(finished);
            }
            return;
        }
        current = waiting != null ? waiting.poll() : null;
        if (current != null) {
            current.start();
        }
    }

    /** The leak-report name of buffers written here. */
    @Override
    public String toString() {
        return "sluice: written to the socket of " + connection;
    }

    /**
     * Writes made while the gate is delivering a batch of reads (an echo, a reply) are flushed once when the batch
     * ends, as a hand-written Netty handler flushes on channelReadComplete; other writes are flushed by a task that
     * runs after the current event-loop turn, so that a burst costs one system call either way.
     */
    private void scheduleFlush() {
        if (flushPending) {
            return;
        }
        flushPending = true;
        if (connection.inReadBatch()) {
            return;
        }
        Runnable task = flushTask;
        if (task == null) {
            task = flushTask = this::flushIfPending;
        }
        eventLoop.execute(task);
    }

    /** Flushes what was written since the last flush; called at the end of a read batch and by the flush task. */
    void flushIfPending() {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    /** One call of {@code send}: subscriber of the data, subscription of the caller's {@code Mono<Void>}. */
    private final class Send implements CoreSubscriber<ByteBuf>, Subscription {
        private final Publisher<? extends ByteBuf> source;
        private final CoreSubscriber<? super Void> actual;
        private final reactor.util.context.Context context;
        private Subscription upstream;
        private boolean done;
        private int produced;
        private long owed;

        Send(Publisher<? extends ByteBuf> source, CoreSubscriber<? super Void> actual) {
            this.source = source;
            this.actual = actual;
            this.context = BufferDiscard.enable(actual.currentContext());
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return context;
        }

        void start() {
            source.subscribe(this);
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                inLoop(() -> {
                    if (done) {
                        s.cancel();
                    } else if (channel.isWritable()) {
                        s.request(BATCH);
                    } else {
                        owed = BATCH;
                    }
                }, s::cancel);
            }
        }

        @Override
        public void onNext(ByteBuf buf) {
            if (eventLoop.inEventLoop()) {
                write(buf);
            } else {
                try {
                    eventLoop.execute(() -> write(buf));
                } catch (RejectedExecutionException e) {
                    buf.release();
                }
            }
        }

        private void write(ByteBuf buf) {
            if (done || closed) {
                buf.release();
                return;
            }
            connection.countOut(buf.readableBytes());
            ctx.write(buf.touch(Outbound.this), ctx.voidPromise());
            scheduleFlush();
            if (++produced == BATCH) {
                produced = 0;
                if (channel.isWritable()) {
                    upstream.request(BATCH);
                } else {
                    owed += BATCH;
                }
            }
        }

        void requestOwed() {
            if (!done && owed > 0 && upstream != null) {
                long n = owed;
                owed = 0;
                upstream.request(n);
            }
        }

        @Override
        public void onError(Throwable t) {
            inLoop(() -> {
                if (done) {
                    Operators.onErrorDropped(t, actual.currentContext());
                    return;
                }
                done = true;
                ctx.flush();
                next(this);
                actual.onError(t);
            }, () -> actual.onError(t));
        }

        @Override
        public void onComplete() {
            inLoop(() -> {
                if (done) {
                    return;
                }
                done = true;
                // Completes once everything before it is on the wire, so that close() after send() loses nothing.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                    if (f.isSuccess()) {
                        actual.onComplete();
                    } else {
                        actual.onError(new ConnectionClosedException(
                                "connection " + connection.info().id() + " closed before the send finished"));
                    }
                });
                next(this);
            }, () -> actual.onError(new ConnectionClosedException(
                    "connection " + connection.info().id() + " is closed")));
        }

        /** The caller cancelled its {@code Mono<Void>}. */
        @Override
        public void cancel() {
            inLoop(() -> {
                if (done) {
                    return;
                }
                done = true;
                if (upstream != null) {
                    upstream.cancel();
                }
                next(this);
            }, null);
        }

        @Override
        public void request(long n) {
            // Mono<Void>: nothing to deliver but a terminal signal.
        }

        void abort(Throwable error) {
            if (done) {
                return;
            }
            done = true;
            if (upstream != null) {
                upstream.cancel();
            }
            actual.onError(error);
        }

        void rejected() {
            done = true;
            actual.onError(new ConnectionClosedException("connection " + connection.info().id() + " is closed"));
        }

        void inLoop(Runnable task, Runnable onRejected) {
            if (eventLoop.inEventLoop()) {
                task.run();
                return;
            }
            try {
                eventLoop.execute(task);
            } catch (RejectedExecutionException e) {
                if (onRejected != null) {
                    onRejected.run();
                }
            }
        }
    }
}
