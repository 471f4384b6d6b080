package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.filters.fuzz.RunSubscriber;
import io.sluice.test.SluiceTest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
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

    static Outcome run(FrameParser parser, List<byte[]> pieces, Throwable sourceError, RunSubscriber.Demand demand,
            int cancelAfter, SplittableRandom random) {
        ByteBufAllocator alloc = SluiceTest.allocator();
        LargestAllocation merges = new LargestAllocation(alloc);
        Flux<ByteBuf> source = RunSubscriber.source(alloc, pieces, sourceError, random);
        AtomicInteger badInput = new AtomicInteger();
        Collector collector = new Collector(demand, cancelAfter, random.split());
        new FrameDecoder(source, parser, merges, e -> badInput.incrementAndGet()).subscribe(collector);
        return collector.outcome(badInput.get(), merges.largest());
    }

    /** Releases some frames at once and holds others while more input arrives; reads each at its release. */
    private static final class Collector extends RunSubscriber {

        private final SplittableRandom random;
        /** Frames held, with their place in the order of arrival. */
        private final Deque<Object[]> held = new ArrayDeque<>();
        private final List<byte[]> frames = new ArrayList<>();

        Collector(Demand demand, int cancelAfter, SplittableRandom random) {
            super(demand, cancelAfter);
            this.random = random;
        }

        @Override
        protected void take(ByteBuf frame) {
            int place = frames.size();
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

        Outcome outcome(int badInputCalls, int largestAllocation) {
            checkEnded();
            Object[] h;
            while ((h = held.poll()) != null) {
                releaseInto((Integer) h[0], (ByteBuf) h[1]);
            }
            return new Outcome(frames, completed(), error(), cancelled(), badInputCalls, largestAllocation, breach());
        }
    }
}
