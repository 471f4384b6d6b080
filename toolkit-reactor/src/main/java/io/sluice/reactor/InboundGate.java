package io.sluice.reactor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.api.BufferBudget;
import io.sluice.api.ConnectionClosedException;
import io.sluice.api.ConnectionResetException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The inbound side of a socket connection: a Netty handler that takes every read buffer and a publisher that hands
 * them to the single subscriber of {@code receive()}, on demand.
 *
 * <p>Reading is switched on only while the subscriber has demand (or has cancelled, so that data is drained and
 * released) and the connection's {@link BufferBudget} is not exhausted. Exhaustion is noticed synchronously when the
 * read buffer that crosses the high-water mark is allocated, so at most one read lands beyond the mark.
 *
 * <p>All state is confined to the channel's event loop; requests and cancellations from other threads hop onto it.
 * Read buffers are owned here until emitted; the queue is released on cancel, close and disposal.
 */
final class InboundGate extends ChannelInboundHandlerAdapter implements Subscription {

    private static final Logger log = Loggers.getLogger(InboundGate.class);

    private final ChannelConnection connection;
    private final Channel channel;
    private final EventLoop eventLoop;
    private final BufferBudget budget;
    private final Runnable updateReadTask = this::updateRead;

    private ArrayDeque<ByteBuf> queue;
    private CoreSubscriber<? super ByteBuf> actual;
    private boolean subscribed;
    private long demand;
    private boolean cancelled;
    private boolean inputDone;
    private Throwable inputError;
    private boolean terminated;
    private boolean signalled;
    private boolean inReadBatch;
    private boolean disposed;
    private int wip;

    InboundGate(ChannelConnection connection, Channel channel, BufferBudget budget) {
        this.connection = connection;
        this.channel = channel;
        this.eventLoop = channel.eventLoop();
        this.budget = budget;
        budget.onPressureChange(this::onPressureChange);
    }

    Flux<ByteBuf> receive() {
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super ByteBuf> s) {
                runInLoop(() -> startReceiver(s), () -> Operators.error(s, closedError()));
            }
        };
    }

    private void startReceiver(CoreSubscriber<? super ByteBuf> s) {
        if (subscribed) {
            Operators.error(s, new IllegalStateException(
                    "receive() of connection " + connection.info().id() + " allows only one subscriber"));
            return;
        }
        subscribed = true;
        actual = s;
        s.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            runInLoop(() -> {
                demand = Operators.addCap(demand, n);
                drain();
            }, null);
        }
    }

    @Override
    public void cancel() {
        runInLoop(() -> {
            cancelled = true;
            drain();
        }, null);
    }

    /** Ends inbound delivery: completes the subscriber (if it has not finished) and releases what is queued. */
    void dispose() {
        runInLoop(() -> {
            disposed = true;
            drain();
        }, null);
    }

    /** Stops reading and completes the inbound stream after what was already read (graceful shutdown). */
    void finishInput() {
        runInLoop(() -> {
            inputDone = true;
            drain();
        }, null);
    }

    /** True between the first read of a batch and its channelReadComplete: writes then flush at the batch's end. */
    boolean inReadBatch() {
        return inReadBatch;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBatch = false;
        connection.readBatchComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inReadBatch = true;
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        connection.countIn(buf.readableBytes());
        if (terminated || cancelled || inputDone) {
            buf.release();
            updateRead();
            return;
        }
        if (demand > 0 && wip == 0 && (queue == null || queue.isEmpty())) {
            // Fast path: hand the buffer straight over, owning the drain loop meanwhile so that a request or a
            // cancel made from inside onNext is noted (wip > 1) and handled right after, not re-entrantly.
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            wip = 1;
            actual.onNext(buf.touch(connection));
            if (wip > 1) {
                drainLoop();
            } else {
                wip = 0;
                updateRead();
            }
            return;
        }
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        queue.add(buf.touch(this));
        drain();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputDone = true;
            drain();
        } else if (evt instanceof IdleStateEvent) {
            log.info("[{}] idle for longer than the configured idle timeout, closing", connection.info().id());
            channel.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inputDone = true;
        drain();
        connection.channelClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            return; // a write raced with close; the writer learns it from channelInactive
        }
        if (inputError == null) {
            inputError = cause instanceof IOException && isReset(cause)
                    ? new ConnectionResetException("connection " + connection.info().id() + " was reset by the peer")
                    : cause;
            if (inputError == cause) {
                log.warn("[{}] closing after an error: {}", connection.info().id(), cause.toString());
            } else if (log.isDebugEnabled()) {
                log.debug("[{}] reset by the peer", connection.info().id());
            }
        }
        inputDone = true;
        drain();
        channel.close();
    }

    private static boolean isReset(Throwable cause) {
        String message = cause.getMessage();
        return message != null && (message.contains("reset") || message.contains("Broken pipe"));
    }

    private void onPressureChange() {
        if (eventLoop.inEventLoop()) {
            updateRead();
        } else {
            try {
                eventLoop.execute(updateReadTask);
            } catch (RejectedExecutionException shutdown) {
                // the loop is gone, and with it the channel: nothing left to read
            }
        }
    }

    private void drain() {
        if (wip++ != 0) {
            return;
        }
        drainLoop();
    }

    /** Runs while there is missed work; the caller owns the loop (wip >= 1). */
    private void drainLoop() {
        for (;;) {
            drainOnce();
            if (wip == 1) {
                wip = 0;
                break;
            }
            wip = 1;
        }
        updateRead();
    }

    private void drainOnce() {
        if (terminated) {
            releaseQueue();
            signalTerminal(); // a subscriber that came after the end still learns of it
            return;
        }
        if (disposed || cancelled) {
            releaseQueue();
            if (disposed) {
                terminate();
            } else {
                connection.inboundConsumed();
            }
            return;
        }
        CoreSubscriber<? super ByteBuf> a = actual;
        if (a == null) {
            return;
        }
        ArrayDeque<ByteBuf> q = queue;
        while (demand > 0 && q != null && !q.isEmpty()) {
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            a.onNext(q.poll().touch(connection));
            if (terminated || cancelled || disposed) {
                releaseQueue();
                return;
            }
        }
        if (inputDone && (q == null || q.isEmpty())) {
            terminate();
        }
    }

    private void terminate() {
        if (terminated) {
            return;
        }
        terminated = true;
        releaseQueue();
        signalTerminal();
    }

    private void signalTerminal() {
        CoreSubscriber<? super ByteBuf> a = actual;
        if (a != null && !cancelled && !signalled) {
            signalled = true;
            Throwable e = inputError;
            if (e != null) {
                a.onError(e);
            } else {
                a.onComplete();
            }
            connection.inboundConsumed();
        }
    }

    private void releaseQueue() {
        ArrayDeque<ByteBuf> q = queue;
        if (q != null) {
            ByteBuf b;
            while ((b = q.poll()) != null) {
                b.release();
            }
        }
    }

    /** Reads while someone wants the bytes (or is draining them away) and the budget allows. */
    private void updateRead() {
        boolean want = !terminated && !inputDone && !budget.exhausted()
                && (cancelled || (subscribed && demand > 0 && (queue == null || queue.isEmpty())));
        if (channel.config().isAutoRead() != want) {
            channel.config().setAutoRead(want);
        }
    }

    /** The leak-report name of buffers queued here (touch hints cost nothing until a report prints them). */
    @Override
    public String toString() {
        return "sluice: queued in the inbound gate of " + connection;
    }

    private Throwable closedError() {
        return new ConnectionClosedException("connection " + connection.info().id() + " is closed");
    }

    private void runInLoop(Runnable task, Runnable onRejected) {
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
