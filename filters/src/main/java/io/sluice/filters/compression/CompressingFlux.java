package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.operator.DrainingOperator;
import java.util.Queue;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.concurrent.Queues;

/**
 * One send's compressed stream: the application's buffers in, compressed buffers out.
 *
 * <p>Buffers that are already queued together (a burst the application's publisher emitted at once, or that piled up
 * while the transport was busy) go through the codec as one run and are flushed once, at its end: the peer can still
 * decode each of them as soon as the run arrives, which is when it would have had them anyway, and the stream pays
 * one flush, one output buffer and one write for the run instead of one per buffer. A buffer is never held back to
 * wait for a later one: when nothing else is queued, it is flushed on its own (with the default
 * {@code flushEveryBytes} of 0). A run stops at {@link #MAX_RUN_BYTES} of input.
 *
 * <p>Each run becomes at most one output buffer, emitted only on demand. The application's publisher is read
 * {@link #PREFETCH} buffers ahead; buffers it emits are owned here until compressed (and then released) or, on
 * cancellation, released. When the application's data fails, what was queued before the failure is compressed,
 * the stream is flushed so that later sends continue a whole stream, and then the error is passed on. A send
 * cancelled after it gave the codec some input may have lost output the codec's state counts on: {@code broken}
 * then runs, which closes the connection.
 */
final class CompressingFlux extends Flux<ByteBuf> {

    /** Buffers requested ahead from the application's publisher. */
    static final int PREFETCH = 32;
    /** A run of queued buffers is cut after this many input bytes, so that output goes out in steady pieces. */
    static final int MAX_RUN_BYTES = 64 * 1024;

    private final Publisher<? extends ByteBuf> source;
    private final GuardedEncoder encoder;
    private final ByteBufAllocator alloc;
    private final int flushEveryBytes;
    private final Runnable broken;

    CompressingFlux(Publisher<? extends ByteBuf> source, GuardedEncoder encoder, ByteBufAllocator alloc,
            int flushEveryBytes, Runnable broken) {
        this.source = source;
        this.encoder = encoder;
        this.alloc = alloc;
        this.flushEveryBytes = flushEveryBytes;
        this.broken = broken;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        source.subscribe(new Run(actual, this));
    }

    /** The subscriber of the application's data and the subscription of the transport's send. */
    private static final class Run extends DrainingOperator<ByteBuf, ByteBuf> {

        private final CompressingFlux parent;
        /** A {@link Mono} emits one buffer: a one-slot queue, asked for one. */
        private final int prefetch;
        private final int limit;
        private final Queue<ByteBuf> queue;

        /** The codec was given input: from now on a cancellation breaks the stream. */
        private volatile boolean consumed;

        // Owned by the drain loop.
        private boolean terminated;
        private int takenSinceRequest;
        private long pendingBytes;

        Run(CoreSubscriber<? super ByteBuf> actual, CompressingFlux parent) {
            super(actual);
            this.parent = parent;
            boolean single = parent.source instanceof Mono;
            this.prefetch = single ? 1 : PREFETCH;
            this.limit = single ? 1 : PREFETCH - (PREFETCH >> 2);
            this.queue = single ? Queues.<ByteBuf>one().get() : Queues.<ByteBuf>get(PREFETCH).get();
        }

        @Override
        protected void onStart() {
            upstream().request(prefetch);
        }

        @Override
        public void onNext(ByteBuf buf) {
            if (isDone() || isCancelled()) {
                buf.release();
                return;
            }
            if (!queue.offer(buf)) {
                buf.release();
                upstream().cancel();
                onError(Exceptions.failWithOverflow("the data emitted more buffers than requested"));
                return;
            }
            drain();
        }

        @Override
        protected void onCancel() {
            if (consumed) {
                parent.broken.run();
            }
        }

        @Override
        protected void drainLoop() {
            if (isCancelled() || terminated) {
                clear();
            } else {
                step();
            }
        }

        /** Emits runs while there is demand, then the end once everything queued is out. */
        private void step() {
            long r = requested();
            long emitted = 0;
            for (;;) {
                if (isCancelled()) {
                    clear();
                    break;
                }
                boolean d = isDone();
                boolean empty = queue.isEmpty();
                if (!empty) {
                    if (emitted == r) {
                        break;
                    }
                    ByteBuf out;
                    try {
                        out = compressRun();
                    } catch (Exception e) {
                        fail(e);
                        return;
                    }
                    if (out != null) {
                        actual.onNext(out);
                        emitted++;
                    }
                    continue;
                }
                if (d) {
                    if (consumed && parent.encoder.unflushed()) {
                        if (emitted == r) {
                            break;
                        }
                        ByteBuf tail;
                        try {
                            tail = parent.encoder.flush();
                        } catch (Exception e) {
                            fail(e);
                            return;
                        }
                        if (tail != null) {
                            actual.onNext(tail);
                            emitted++;
                        }
                    }
                    terminated = true;
                    Throwable e = sourceError();
                    if (e != null) {
                        actual.onError(e);
                    } else {
                        actual.onComplete();
                    }
                    return;
                }
                break;
            }
            produced(emitted);
        }

        /**
         * Compresses the buffers queued now, up to {@link #MAX_RUN_BYTES}, flushing after the last of them (or as
         * {@code flushEveryBytes} says); returns what the codec produced as one buffer, or null.
         */
        private ByteBuf compressRun() throws Exception {
            int flushEvery = parent.flushEveryBytes;
            ByteBuf out = null;
            int runBytes = 0;
            try {
                ByteBuf in;
                while ((in = queue.poll()) != null) {
                    consumed = true;
                    int size = in.readableBytes();
                    runBytes += size;
                    pendingBytes += size;
                    replenish();
                    boolean last = runBytes >= MAX_RUN_BYTES || queue.isEmpty();
                    boolean flush = flushEvery == 0 ? last : pendingBytes >= flushEvery;
                    if (flush) {
                        pendingBytes = 0;
                    }
                    out = join(out, parent.encoder.encode(in, flush));
                    if (last) {
                        break;
                    }
                }
                return out;
            } catch (Exception e) {
                if (out != null) {
                    out.release();
                }
                throw e;
            }
        }

        /** Asks the application for more once most of what was requested has been taken. */
        private void replenish() {
            if (++takenSinceRequest == limit) {
                takenSinceRequest = 0;
                if (!isDone()) {
                    upstream().request(limit);
                }
            }
        }

        private ByteBuf join(ByteBuf out, ByteBuf more) {
            if (more == null) {
                return out;
            }
            if (out == null) {
                return more;
            }
            return parent.alloc.compositeBuffer(Integer.MAX_VALUE).addComponents(true, out, more);
        }

        /** The codec failed: nothing more is taken, the queued buffers are released, the error goes on. */
        private void fail(Exception e) {
            terminated = true;
            upstream().cancel();
            clear();
            actual.onError(e);
        }

        private void clear() {
            ByteBuf b;
            while ((b = queue.poll()) != null) {
                b.release();
            }
        }
    }
}
