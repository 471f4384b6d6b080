package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import io.sluice.api.operator.DrainingOperator;
import java.util.Objects;
import java.util.Queue;
import java.util.function.Consumer;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.concurrent.Queues;

/**
 * Turns a stream of arbitrarily split byte buffers into a stream of frames, with the frame boundaries found by a
 * {@link FrameParser}.
 *
 * <p>Ownership: every buffer the source emits becomes the decoder's; every frame it emits becomes the subscriber's.
 * Bytes of incomplete frames are kept in one cumulation buffer (the first received buffer itself when possible,
 * otherwise one allocated from the given allocator) and frames are retained slices of it. The decoder releases the
 * cumulation and any buffer not yet parsed on cancel, on error and on completion, whichever comes first, and emits
 * nothing after any of them. It releases those buffers itself rather than routing them through Reactor's discard
 * hook, because the hook installed by Sluice pipelines releases too and a buffer must be released exactly once.
 *
 * <p>Demand: a frame is parsed only when the subscriber has demand for it, and one more buffer is requested from the
 * source only when there is demand and no complete frame is held, so an idle subscriber stops the reading below.
 * When the source completes, the frames still held are delivered as they are requested, then the parser's
 * {@linkplain FrameParser#last last frame}, then completion. A source error is passed on at once, dropping what is
 * held. A parser error cancels the source, releases everything, calls the bad-input callback, then errors.
 */
public final class FrameDecoder extends FluxOperator<ByteBuf, ByteBuf> {

    private final FrameParser parser;
    private final ByteBufAllocator allocator;
    private final Consumer<? super FramingException> onBadInput;

    /**
     * @param allocator where merged cumulations come from: the connection's budget allocator
     * @param onBadInput called once, before the error reaches the subscriber, when the parser rejects the input
     */
    public FrameDecoder(Flux<? extends ByteBuf> source, FrameParser parser, ByteBufAllocator allocator,
                        Consumer<? super FramingException> onBadInput) {
        super(source);
        this.parser = Objects.requireNonNull(parser, "parser");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.onBadInput = Objects.requireNonNull(onBadInput, "onBadInput");
    }

    /**
     * The frames of {@code lower}'s inbound stream, with the policy for bad input from the network: one WARN line
     * naming the connection, then {@code lower} is closed, then the returned flux errors with the
     * {@link FramingException}.
     */
    public static Flux<ByteBuf> receive(Connection lower, FrameParser parser) {
        return new FrameDecoder(lower.receive(), parser, lower.budget().allocator(), e -> {
            // Looked up on this rare path rather than held in a static, so that a logger factory installed
            // later (reactor-test's capture, an application's own) still sees the line.
            Logger log = Loggers.getLogger(FrameDecoder.class);
            log.warn("connection {}: closing on bad framing: {}", lower.info().id(), e.getMessage());
            lower.close();
        });
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        source.subscribe(new DecoderSubscriber(actual, parser, allocator, onBadInput));
    }

    static final class DecoderSubscriber extends DrainingOperator<ByteBuf, ByteBuf> {

        private final FrameParser parser;
        private final ByteBufAllocator allocator;
        private final Consumer<? super FramingException> onBadInput;
        /** Buffers received and not yet merged into the cumulation: one source, one drain loop. */
        private final Queue<ByteBuf> inbox = Queues.<ByteBuf>unbounded(Queues.XS_BUFFER_SIZE).get();

        // Owned by the drain loop.
        private ByteBuf cumulation;
        private boolean awaitingInput;
        private boolean terminated;

        DecoderSubscriber(CoreSubscriber<? super ByteBuf> actual, FrameParser parser, ByteBufAllocator allocator,
                          Consumer<? super FramingException> onBadInput) {
            super(actual);
            this.parser = parser;
            this.allocator = allocator;
            this.onBadInput = onBadInput;
        }

        @Override
        public void onNext(ByteBuf buf) {
            if (isDone()) {
                buf.release();
                return;
            }
            inbox.offer(buf);
            drain();
        }

        @Override
        protected void drainLoop() {
            for (;;) {
                if (terminated || isCancelled()) {
                    terminated = true;
                    releaseAll();
                    return;
                }
                ByteBuf in;
                while ((in = inbox.poll()) != null) {
                    awaitingInput = false;
                    if (!cumulate(in)) {
                        return;
                    }
                }
                boolean sourceDone = isDone();
                Throwable sourceError = sourceError();
                if (sourceDone && sourceError != null) {
                    terminate(sourceError);
                    return;
                }
                if (requested() == 0) {
                    if (sourceDone && cumulation == null) {
                        terminate(null);
                    }
                    return;
                }
                ByteBuf frame;
                try {
                    frame = parse(sourceDone);
                } catch (FramingException e) {
                    badInput(e);
                    return;
                } catch (RuntimeException e) {
                    upstream().cancel();
                    terminate(e);
                    return;
                }
                if (frame != null) {
                    produced(1);
                    actual.onNext(frame);
                    continue;
                }
                if (sourceDone) {
                    terminate(null);
                    return;
                }
                if (!awaitingInput) {
                    awaitingInput = true;
                    upstream().request(1);
                    continue;
                }
                return;
            }
        }

        /** The next frame, or null; at the end of the source, the parser's last frame from what remains. */
        private ByteBuf parse(boolean sourceDone) throws FramingException {
            ByteBuf cum = cumulation;
            if (cum == null) {
                return null;
            }
            ByteBuf frame = parser.next(cum);
            if (frame == null && sourceDone && cum.isReadable()) {
                frame = parser.last(cum);
            }
            if (!cum.isReadable()) {
                cumulation = null;
                cum.release();
            }
            return frame;
        }

        /**
         * Appends {@code in} to the cumulation. Appends in place only when no emitted frame still shares the
         * cumulation (so compacting it cannot move bytes under a live slice); otherwise copies the unread tail and
         * {@code in} into a fresh buffer, so the cumulation never holds more than one partial frame plus one read.
         */
        private boolean cumulate(ByteBuf in) {
            if (!in.isReadable()) {
                in.release();
                return true;
            }
            ByteBuf cum = cumulation;
            if (cum == null) {
                cumulation = in.touch(parser);
                return true;
            }
            try {
                int needed = in.readableBytes();
                if (cum.refCnt() == 1 && !cum.isReadOnly()) {
                    cum.discardSomeReadBytes();
                    if (cum.maxWritableBytes() >= needed) {
                        cum.writeBytes(in);
                        return true;
                    }
                }
                ByteBuf merged = allocator.buffer(cum.readableBytes() + needed);
                merged.writeBytes(cum).writeBytes(in);
                cumulation = merged.touch(parser);
                cum.release();
                return true;
            } catch (RuntimeException e) {
                upstream().cancel();
                terminate(e);
                return false;
            } finally {
                in.release();
            }
        }

        private void badInput(FramingException e) {
            upstream().cancel();
            terminated = true;
            releaseAll();
            try {
                onBadInput.accept(e);
            } finally {
                actual.onError(e);
            }
        }

        /** The one exit to the subscriber: releases everything first, so nothing is held when it hears the end. */
        private void terminate(Throwable failure) {
            terminated = true;
            releaseAll();
            if (failure != null) {
                actual.onError(failure);
            } else {
                actual.onComplete();
            }
        }

        private void releaseAll() {
            ByteBuf cum = cumulation;
            if (cum != null) {
                cumulation = null;
                cum.release();
            }
            ByteBuf in;
            while ((in = inbox.poll()) != null) {
                in.release();
            }
        }
    }
}
