package io.sluice.api.pipe;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BufferDiscard;
import io.sluice.api.ConnectionClosedException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;

/**
 * One direction of a {@link Pipe}: takes buffers from the sender's sends, one at a time and only when the receiver
 * can take more, splits and copies them into the receiver's budget, and delivers them on demand.
 *
 * <p>All state changes are signalled through volatile fields and applied by one drain loop (a work-in-progress
 * counter), so that exactly one thread at a time moves buffers. Buffers held here (a send's undelivered buffer, the
 * chunks awaiting demand) are released on every terminal path.
 */
final class Lane {

    private final PipeEnd sender;
    private final PipeEnd receiverEnd;
    private final Chunking chunking;
    private final AtomicInteger wip = new AtomicInteger();
    private final Queue<SendJob> sends = new ConcurrentLinkedQueue<>();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean receiverSet = new AtomicBoolean();

    private volatile CoreSubscriber<? super ByteBuf> receiver;
    private volatile boolean receiverCancelled;
    private volatile boolean stalled;
    private volatile boolean outputShut;
    private volatile boolean receiverClosed;
    private volatile Throwable resetCause;

    // Owned by the drain loop.
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private SendJob current;
    private boolean receiverDone;
    private boolean finished;
    private Throwable finalError;
    private boolean senderNotified;
    private boolean receiverNotified;

    Lane(PipeEnd sender, PipeEnd receiverEnd, Chunking chunking) {
        this.sender = sender;
        this.receiverEnd = receiverEnd;
        this.chunking = chunking;
    }

    Flux<ByteBuf> receiver() {
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
                subscribeReceiver(actual);
            }
        };
    }

    Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return Mono.create(sink -> {
            SendJob job = new SendJob(data, sink);
            sink.onCancel(job::cancelByCaller);
            sends.offer(job);
            drain();
        });
    }

    void shutdownOutput() {
        outputShut = true;
        drain();
    }

    void closeReceiver() {
        receiverClosed = true;
        drain();
    }

    void reset(Throwable cause) {
        resetCause = cause;
        drain();
    }

    void stall(boolean value) {
        stalled = value;
        drain();
    }

    private void subscribeReceiver(CoreSubscriber<? super ByteBuf> actual) {
        if (!receiverSet.compareAndSet(false, true)) {
            Operators.error(actual, new IllegalStateException(
                    "receive() of connection " + receiverEnd.info().id() + " allows only one subscriber"));
            return;
        }
        actual.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (Operators.validate(n)) {
                    requested.getAndUpdate(r -> Operators.addCap(r, n));
                    drain();
                }
            }

            @Override
            public void cancel() {
                receiverCancelled = true;
                drain();
            }
        });
        receiver = actual;
        drain();
    }

    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            drainLoop();
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainLoop() {
        for (;;) {
            if (finished) {
                signalLateReceiver();
                failQueuedSends(new ConnectionClosedException(
                        "connection " + receiverEnd.info().id() + " is closed"));
                notifyParts();
                return;
            }
            Throwable reset = resetCause;
            if (reset != null) {
                terminate(reset, reset);
                continue;
            }
            if (receiverClosed) {
                terminate(null, new ConnectionClosedException(
                        "connection " + receiverEnd.info().id() + " closed before the send finished"));
                continue;
            }
            if (outputShut) {
                ConnectionClosedException shut = new ConnectionClosedException(
                        "connection " + sender.info().id() + " shut its output before the send finished");
                if (current != null) {
                    current.abandon(shut);
                    current = null;
                }
                failQueuedSends(shut);
            }

            deliver();
            boolean discarding = receiverCancelled;
            if (!chunks.isEmpty() && !discarding) {
                notifyParts();
                return;
            }

            if (current == null) {
                current = nextJob();
                if (current != null) {
                    current.start();
                    continue;
                }
            } else {
                ByteBuf raw = current.inbox.poll();
                if (raw != null) {
                    current.awaiting = false;
                    split(raw);
                    continue;
                }
                if (current.cancelled) {
                    current.abandon(null);
                    current = null;
                    continue;
                }
                if (current.done) {
                    current.finish();
                    current = null;
                    continue;
                }
                if (current.subscription != null && !current.awaiting && wantsMore(discarding)) {
                    current.awaiting = true;
                    current.subscription.request(1);
                    continue;
                }
            }

            CoreSubscriber<? super ByteBuf> r = receiver;
            if (outputShut && current == null && chunks.isEmpty() && r != null && !receiverDone) {
                receiverDone = true;
                finished = true;
                if (!receiverCancelled) {
                    r.onComplete();
                }
                continue;
            }
            notifyParts();
            return;
        }
    }

    private boolean wantsMore(boolean discarding) {
        if (discarding) {
            return true;
        }
        return receiver != null && requested.get() > 0 && !stalled && !receiverEnd.budget().exhausted();
    }

    private void deliver() {
        CoreSubscriber<? super ByteBuf> r = receiver;
        if (r == null || receiverDone) {
            return;
        }
        if (receiverCancelled) {
            releaseChunks();
            return;
        }
        if (stalled) {
            return;
        }
        long want = requested.get();
        long emitted = 0;
        while (emitted != want && !chunks.isEmpty() && !receiverCancelled) {
            r.onNext(chunks.poll());
            emitted++;
        }
        if (emitted != 0 && want != Long.MAX_VALUE) {
            requested.addAndGet(-emitted);
        }
    }

    private void split(ByteBuf raw) {
        try {
            int remaining = raw.readableBytes();
            int index = raw.readerIndex();
            while (remaining > 0) {
                int size = chunking.next(remaining);
                if (size < 1 || size > remaining) {
                    throw new IllegalStateException("chunking returned " + size + " for " + remaining + " bytes");
                }
                ByteBuf chunk = receiverEnd.budget().allocator().buffer(size, size);
                chunk.writeBytes(raw, index, size);
                chunk.touch("pipe: delivered to " + receiverEnd.info().id());
                chunks.add(chunk);
                index += size;
                remaining -= size;
            }
        } finally {
            raw.release();
        }
    }

    private SendJob nextJob() {
        SendJob job;
        while ((job = sends.poll()) != null) {
            if (!job.cancelled) {
                return job;
            }
            job.abandon(null);
        }
        return null;
    }

    /** Ends the lane: releases everything, terminates the receiver, and fails every send. */
    private void terminate(Throwable receiverError, Throwable sendError) {
        finished = true;
        finalError = receiverError;
        releaseChunks();
        if (current != null) {
            current.abandon(sendError);
            current = null;
        }
        failQueuedSends(sendError);
        signalLateReceiver();
    }

    /** Gives the receiver the lane's terminal signal, if it has not had it (it may subscribe after the end). */
    private void signalLateReceiver() {
        CoreSubscriber<? super ByteBuf> r = receiver;
        if (r != null && !receiverDone && !receiverCancelled) {
            receiverDone = true;
            releaseChunks();
            if (finalError != null) {
                r.onError(finalError);
            } else {
                r.onComplete();
            }
        }
    }

    private void failQueuedSends(Throwable error) {
        SendJob job;
        while ((job = sends.poll()) != null) {
            job.abandon(job.cancelled ? null : error);
        }
    }

    private void releaseChunks() {
        ByteBuf chunk;
        while ((chunk = chunks.poll()) != null) {
            chunk.release();
        }
    }

    /** Tells each end, once it asked to close, that its part of this lane is over. */
    private void notifyParts() {
        if (!senderNotified && sender.closeRequested() && current == null && sends.isEmpty()
                && (outputShut || finished)) {
            senderNotified = true;
            sender.partDone();
        }
        if (!receiverNotified && finished && receiverEnd.closeRequested()) {
            receiverNotified = true;
            receiverEnd.partDone();
        }
    }

    /** One call to {@code send}: subscribes to its publisher when its turn comes, takes one buffer at a time. */
    private final class SendJob implements CoreSubscriber<ByteBuf> {
        final Publisher<? extends ByteBuf> source;
        final MonoSink<Void> sink;
        final Queue<ByteBuf> inbox = new ConcurrentLinkedQueue<>();
        volatile Subscription subscription;
        volatile boolean done;
        volatile Throwable error;
        volatile boolean cancelled;
        boolean awaiting;
        private final reactor.util.context.Context context;

        SendJob(Publisher<? extends ByteBuf> source, MonoSink<Void> sink) {
            this.source = source;
            this.sink = sink;
            this.context = BufferDiscard.enable(sink.contextView());
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return context;
        }

        void start() {
            source.subscribe(this);
        }

        void cancelByCaller() {
            cancelled = true;
            drain();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(subscription, s)) {
                subscription = s;
                if (cancelled) {
                    s.cancel();
                }
                drain();
            }
        }

        @Override
        public void onNext(ByteBuf buf) {
            if (cancelled || done) {
                buf.release();
                return;
            }
            inbox.offer(buf);
            if (cancelled) {
                releaseInbox();
            }
            drain();
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done = true;
            drain();
        }

        @Override
        public void onComplete() {
            done = true;
            drain();
        }

        /** Success or the source's error, after its last buffer was split. */
        void finish() {
            Throwable e = error;
            if (e != null) {
                sink.error(e);
            } else {
                sink.success();
            }
        }

        /** Gives up on this send: cancels the source, releases what it gave, fails the caller (null: cancelled). */
        void abandon(Throwable failure) {
            cancelled = true;
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            releaseInbox();
            if (failure != null) {
                sink.error(failure);
            }
        }

        private void releaseInbox() {
            ByteBuf buf;
            while ((buf = inbox.poll()) != null) {
                buf.release();
            }
        }
    }
}
