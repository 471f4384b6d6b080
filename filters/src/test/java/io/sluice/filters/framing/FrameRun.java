package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sluice.test.SluiceTest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * One run of a {@link FrameDecoder} over pieces of input as a peer's reads would bring them, on the test's thread:
 * the source is synchronous, so the run is over when {@link #run} returns, and a stream that has neither completed
 * nor failed by then has hung.
 *
 * <p>Input buffers are made from the test's allocator as the decoder asks for them (direct, heap or a two-part
 * composite, at random) and become the decoder's. Frames are the subscriber's: some are released at once, some held
 * while more input arrives (frames are slices of the decoder's cumulation, which must not change under them) and
 * released later; each frame's bytes are read when it is released.
 */
final class FrameRun {

    enum Demand { UNBOUNDED, ONE_BY_ONE, CANCEL }

    /** The frames as read at their release, how the run ended, the callback's calls and rules broken. */
    record Outcome(List<byte[]> frames, boolean completed, Throwable error, boolean cancelled, int badInputCalls,
            int largestAllocation, String breach) {
        @Override
        public String toString() {
            String end = completed ? "completion" : cancelled ? "cancel" : error != null ? error.toString() : "no end";
            return frames.size() + " frames, then " + end;
        }
    }

    private FrameRun() {
    }

    static Outcome run(FrameParser parser, List<byte[]> pieces, Throwable sourceError, Demand demand,
            int cancelAfter, SplittableRandom random) {
        ByteBufAllocator alloc = SluiceTest.allocator();
        LargestAllocation merges = new LargestAllocation(alloc);
        long kinds = random.nextLong();
        AtomicInteger index = new AtomicInteger();
        Flux<ByteBuf> source = Flux.fromIterable(pieces)
                .map(p -> buffer(alloc, p, (int) (kinds >>> (2 * (index.getAndIncrement() % 32))) & 3));
        if (sourceError != null) {
            source = source.concatWith(Flux.error(sourceError));
        }
        AtomicInteger badInput = new AtomicInteger();
        Collector collector = new Collector(demand, cancelAfter, random.split());
        new FrameDecoder(source, parser, merges, e -> badInput.incrementAndGet()).subscribe(collector);
        return collector.outcome(badInput.get(), merges.largest());
    }

    private static ByteBuf buffer(ByteBufAllocator alloc, byte[] piece, int kind) {
        if (kind == 2) {
            return alloc.heapBuffer(piece.length).writeBytes(piece);
        }
        if (kind == 3 && piece.length >= 2) {
            int half = piece.length / 2;
            CompositeByteBuf composite = alloc.compositeBuffer(2);
            composite.addComponent(true, alloc.directBuffer(half).writeBytes(piece, 0, half));
            composite.addComponent(true, alloc.heapBuffer(piece.length - half)
                    .writeBytes(piece, half, piece.length - half));
            return composite;
        }
        return alloc.directBuffer(piece.length).writeBytes(piece);
    }

    private static final class Collector implements CoreSubscriber<ByteBuf> {

        private final Demand demand;
        private final int cancelAfter;
        private final SplittableRandom random;
        /** Frames held, with their place in the order of arrival. */
        private final Deque<Object[]> held = new ArrayDeque<>();
        private final List<byte[]> frames = new ArrayList<>();
        private Subscription subscription;
        private int received;
        private boolean completed;
        private Throwable error;
        private boolean cancelled;
        private String breach;

        Collector(Demand demand, int cancelAfter, SplittableRandom random) {
            this.demand = demand;
            this.cancelAfter = cancelAfter;
            this.random = random;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            if (demand == Demand.CANCEL && cancelAfter == 0) {
                cancelled = true;
                s.cancel();
                return;
            }
            s.request(demand == Demand.UNBOUNDED ? Long.MAX_VALUE : 1);
        }

        @Override
        public void onNext(ByteBuf frame) {
            if (ended()) {
                breach("a frame after the stream had ended");
            }
            int place = received++;
            frames.add(null);
            if (held.size() < 4 && random.nextInt(3) == 0) {
                held.add(new Object[] {place, frame});
            } else {
                releaseInto(place, frame);
                if (!held.isEmpty() && random.nextBoolean()) {
                    Object[] oldest = held.poll();
                    releaseInto((Integer) oldest[0], (ByteBuf) oldest[1]);
                }
            }
            if (demand == Demand.CANCEL && received == cancelAfter) {
                cancelled = true;
                subscription.cancel();
            } else if (demand != Demand.UNBOUNDED) {
                subscription.request(1);
            }
        }

        private void releaseInto(int place, ByteBuf frame) {
            try {
                byte[] bytes = new byte[frame.readableBytes()];
                frame.getBytes(frame.readerIndex(), bytes);
                frames.set(place, bytes);
            } finally {
                frame.release();
            }
        }

        @Override
        public void onError(Throwable t) {
            if (ended()) {
                breach("an error after the stream had ended: " + t);
            }
            error = t;
        }

        @Override
        public void onComplete() {
            if (ended()) {
                breach("completion after the stream had ended");
            }
            completed = true;
        }

        private boolean ended() {
            return completed || error != null || cancelled;
        }

        private void breach(String what) {
            if (breach == null) {
                breach = what;
            }
        }

        Outcome outcome(int badInputCalls, int largestAllocation) {
            if (!ended()) {
                breach("the stream neither completed nor failed once its source had ended (a hang)");
            }
            Object[] h;
            while ((h = held.poll()) != null) {
                releaseInto((Integer) h[0], (ByteBuf) h[1]);
            }
            return new Outcome(frames, completed, error, cancelled, badInputCalls, largestAllocation, breach);
        }
    }
}
