package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sluice.test.SluiceTest;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
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

    /** How the subscriber asks for chunks. */
    enum Demand {
        /** Everything at once. */
        UNBOUNDED,
        /** One chunk at a time, asked for inside {@code onNext}. */
        ONE_BY_ONE,
        /** One at a time, cancelling after a given number of chunks. */
        CANCEL
    }

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
     * after the last piece if it is not null. {@code cancelAfter} is used with {@link Demand#CANCEL} only.
     */
    static Outcome run(CompressionOptions options, WatchedDecoders decoders, List<byte[]> pieces,
            Throwable sourceError, Demand demand, int cancelAfter, SplittableRandom random) {
        ByteBufAllocator alloc = SluiceTest.allocator();
        long bufferKinds = random.nextLong();
        AtomicInteger index = new AtomicInteger();
        Flux<ByteBuf> source = Flux.fromIterable(pieces)
                .map(piece -> buffer(alloc, piece, (int) (bufferKinds >>> (2 * (index.getAndIncrement() % 32))) & 3));
        if (sourceError != null) {
            source = source.concatWith(Flux.error(sourceError));
        }
        AtomicInteger badInput = new AtomicInteger();
        Collector collector = new Collector(demand, cancelAfter, options.chunkSize());
        new DecompressingFlux(source, decoders, options, alloc, e -> badInput.incrementAndGet()).subscribe(collector);
        return collector.outcome(badInput.get());
    }

    /** {@code piece} in a fresh buffer of the test's allocator: kind 0 and 1 direct, 2 heap, 3 a composite. */
    private static ByteBuf buffer(ByteBufAllocator alloc, byte[] piece, int kind) {
        switch (kind) {
            case 2:
                return alloc.heapBuffer(piece.length).writeBytes(piece);
            case 3:
                if (piece.length >= 2) {
                    int half = piece.length / 2;
                    CompositeByteBuf composite = alloc.compositeBuffer(2);
                    composite.addComponent(true, alloc.heapBuffer(half).writeBytes(piece, 0, half));
                    composite.addComponent(true, alloc.directBuffer(piece.length - half)
                            .writeBytes(piece, half, piece.length - half));
                    return composite;
                }
                return alloc.directBuffer(piece.length).writeBytes(piece);
            default:
                return alloc.directBuffer(piece.length).writeBytes(piece);
        }
    }

    /** Copies and releases each chunk, asks for more as its {@link Demand} says, and notes every rule broken. */
    private static final class Collector implements CoreSubscriber<ByteBuf> {

        private final Demand demand;
        private final int cancelAfter;
        private final int chunkSize;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Subscription subscription;
        private int chunks;
        private int largest;
        private boolean completed;
        private Throwable error;
        private boolean cancelled;
        private String breach;

        Collector(Demand demand, int cancelAfter, int chunkSize) {
            this.demand = demand;
            this.cancelAfter = cancelAfter;
            this.chunkSize = chunkSize;
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
        public void onNext(ByteBuf chunk) {
            try {
                if (ended()) {
                    breach("a chunk after the stream " + endName());
                }
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
            chunks++;
            if (demand == Demand.CANCEL && chunks == cancelAfter) {
                cancelled = true;
                subscription.cancel();
            } else if (demand != Demand.UNBOUNDED) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            if (ended()) {
                breach("an error after the stream " + endName() + ": " + t);
            }
            error = t;
        }

        @Override
        public void onComplete() {
            if (ended()) {
                breach("completion after the stream " + endName());
            }
            completed = true;
        }

        private boolean ended() {
            return completed || error != null || cancelled;
        }

        private String endName() {
            return completed ? "completed" : cancelled ? "was cancelled" : "failed";
        }

        private void breach(String what) {
            if (breach == null) {
                breach = what;
            }
        }

        Outcome outcome(int badInputCalls) {
            if (!ended()) {
                breach("the stream neither completed nor failed once its source had ended (a hang)");
            }
            return new Outcome(out.toByteArray(), completed, error, cancelled, badInputCalls, largest, breach);
        }
    }
}
