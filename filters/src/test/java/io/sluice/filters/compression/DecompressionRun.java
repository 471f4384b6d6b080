package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.filters.fuzz.RunSubscriber;
import io.sluice.test.SluiceTest;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/**
 * One run of {@link DecompressingFlux}, the operator behind every {@link Compression} filter's {@code receive()}, over
 * compressed pieces as a peer's reads would bring them, on the test's thread: the source is synchronous, so the run
 * is over when {@link #run} returns, and a stream that has neither completed nor failed by then has hung.
 *
 * <p>Input buffers are made from the test's allocator as the operator asks for them (heap, direct or a two-part
 * composite, at random), and become the operator's; every chunk it emits is copied and released here at once.
 */
final class DecompressionRun {

    /**
     * How a run ended: the bytes received, and either completion, an error, or the subscriber's cancel; the
     * bad-input callback's calls; the largest chunk; and any breach of the operator's rules seen on the way.
     */
    record Outcome(byte[] output, boolean completed, Throwable error, boolean cancelled, int badInputCalls,
            int largestChunk, String breach) {

        boolean failedWith(Class<? extends Throwable> type) {
            return type.isInstance(error);
        }

        @Override
        public String toString() {
            String end = completed ? "completed" : cancelled ? "cancelled" : error != null ? "failed with " + error
                    : "did not end";
            return end + " after " + output.length + " bytes";
        }
    }

    private DecompressionRun() {
    }

    /**
     * Decompresses {@code pieces} with {@code options}' codec and limits; the source fails with {@code sourceError}
     * after the last piece if it is not null. {@code cancelAfter} is used with {@link RunSubscriber.Demand#CANCEL}
     * only.
     */
    static Outcome run(CompressionOptions options, WatchedDecoders decoders, List<byte[]> pieces,
            Throwable sourceError, RunSubscriber.Demand demand, int cancelAfter, SplittableRandom random) {
        ByteBufAllocator alloc = SluiceTest.allocator();
        Flux<ByteBuf> source = RunSubscriber.source(alloc, pieces, sourceError, random);
        AtomicInteger badInput = new AtomicInteger();
        Collector collector = new Collector(demand, cancelAfter, options.chunkSize());
        new DecompressingFlux(source, decoders, options, alloc, e -> badInput.incrementAndGet()).subscribe(collector);
        return collector.outcome(badInput.get());
    }

    /** Copies and releases each chunk, and notes a chunk beyond the chunk size as a breach. */
    private static final class Collector extends RunSubscriber {

        private final int chunkSize;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int largest;

        Collector(Demand demand, int cancelAfter, int chunkSize) {
            super(demand, cancelAfter);
            this.chunkSize = chunkSize;
        }

        @Override
        protected void take(ByteBuf chunk) {
            try {
                if (chunk.readableBytes() > chunkSize) {
                    breach("a chunk of " + chunk.readableBytes() + " bytes, beyond the chunk size of " + chunkSize);
                }
                largest = Math.max(largest, chunk.readableBytes());
                byte[] bytes = new byte[chunk.readableBytes()];
                chunk.getBytes(chunk.readerIndex(), bytes);
                out.writeBytes(bytes);
            } finally {
                chunk.release();
            }
        }

        Outcome outcome(int badInputCalls) {
            checkEnded();
            return new Outcome(out.toByteArray(), completed(), error(), cancelled(), badInputCalls, largest, breach());
        }
    }
}
