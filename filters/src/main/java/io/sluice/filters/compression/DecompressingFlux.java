package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.operator.DrainingOperator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;

/**
 * Decompresses a stream of compressed buffers, driven by demand: one compressed buffer is requested at a time, and
 * decompressed chunks are pulled from the {@link Decoder} only as the subscriber requests them, so a bomb expands no
 * faster than it is consumed and the limits stop it after at most one chunk too many.
 *
 * <p>Ownership: each compressed buffer becomes the decoder's; each emitted chunk becomes the subscriber's. On
 * cancel, error and completion the decoder is closed (its native state freed) and the pending input released,
 * before the subscriber hears of it; nothing is emitted afterwards. A limit or corrupt input cancels the source,
 * calls the bad-input callback once, then errors with a {@link DecompressionException}. A source that completes
 * inside a stream (after some input, before the end marker) is truncated: that is bad input too.
 */
final class DecompressingFlux extends FluxOperator<ByteBuf, ByteBuf> {

    private final Supplier<Decoder> decoders;
    private final CompressionOptions options;
    private final ByteBufAllocator alloc;
    private final Consumer<DecompressionException> onBadInput;

    DecompressingFlux(Flux<? extends ByteBuf> source, Supplier<Decoder> decoders, CompressionOptions options,
            ByteBufAllocator alloc, Consumer<DecompressionException> onBadInput) {
        super(source);
        this.decoders = decoders;
        this.options = options;
        this.alloc = alloc;
        this.onBadInput = onBadInput;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        source.subscribe(new Inner(actual, decoders, options, alloc, onBadInput));
    }

    static final class Inner extends DrainingOperator<ByteBuf, ByteBuf> {

        private final Supplier<Decoder> decoders;
        private final CompressionOptions options;
        private final ByteBufAllocator alloc;
        private final Consumer<DecompressionException> onBadInput;

        private volatile ByteBuf incoming;

        // Owned by the drain loop.
        private Decoder decoder;
        private boolean awaitingInput;
        private boolean drained = true;
        private boolean terminated;
        private boolean sawInput;
        private long compressedIn;
        private long decompressedOut;
        private long outSinceFeed;

        Inner(CoreSubscriber<? super ByteBuf> actual, Supplier<Decoder> decoders, CompressionOptions options,
                ByteBufAllocator alloc, Consumer<DecompressionException> onBadInput) {
            super(actual);
            this.decoders = decoders;
            this.options = options;
            this.alloc = alloc;
            this.onBadInput = onBadInput;
        }

        @Override
        public void onNext(ByteBuf buf) {
            if (isDone() || isCancelled()) {
                buf.release();
                return;
            }
            incoming = buf;
            drain();
        }

        @Override
        protected void drainLoop() {
            try {
                decompress();
            } catch (DecompressionException e) {
                upstream().cancel();
                fail(e, true);
            } catch (RuntimeException e) {
                upstream().cancel();
                fail(e, false);
            }
        }

        private void decompress() throws DecompressionException {
            if (terminated) {
                releaseIncoming();
                return;
            }
            long r = requested();
            long emitted = 0;
            for (;;) {
                if (isCancelled()) {
                    terminated = true;
                    cleanUp();
                    return;
                }
                Throwable error = sourceError();
                if (error != null) {
                    fail(error, false); // a reset or a failure below: passed on at once, output still held dropped
                    return;
                }
                boolean demand = emitted != r;
                if (demand && decoder != null && !drained) {
                    ByteBuf chunk = decoder.next(alloc, options.chunkSize());
                    if (chunk != null) {
                        count(chunk.readableBytes(), chunk);
                        actual.onNext(chunk);
                        emitted++;
                        continue;
                    }
                    drained = true; // everything fed so far is decompressed and emitted
                }
                if (decoder == null || drained) {
                    ByteBuf in = incoming;
                    if (in != null) {
                        if (decoder == null) {
                            // Before taking the input: if the codec cannot start, cleanup still finds it to release.
                            decoder = decoders.get();
                        }
                        incoming = null;
                        awaitingInput = false;
                        sawInput |= in.isReadable();
                        compressedIn += in.readableBytes();
                        outSinceFeed = 0;
                        drained = false;
                        decoder.feed(in);
                        continue;
                    }
                    if (isDone()) {
                        if (sawInput && !decoder.finished()) {
                            throw new DecompressionException("stream ended before its end marker: truncated "
                                    + options.codec().label() + " data");
                        }
                        terminated = true;
                        cleanUp();
                        actual.onComplete();
                        return;
                    }
                    if (demand && !awaitingInput) {
                        awaitingInput = true;
                        upstream().request(1);
                        continue;
                    }
                }
                break;
            }
            produced(emitted);
        }

        /** Applies the limits to a chunk about to be emitted; on a breach the chunk is released and the stream fails. */
        private void count(int n, ByteBuf chunk) throws DecompressionException {
            outSinceFeed += n;
            decompressedOut += n;
            if (outSinceFeed > options.maxDecompressedPerInput()) {
                chunk.release();
                throw new DecompressionLimitException("one compressed buffer of the " + options.codec().label()
                        + " stream expands beyond the limit of " + options.maxDecompressedPerInput() + " bytes");
            }
            if (decompressedOut > options.ratioFloorBytes()
                    && decompressedOut > options.maxExpansionRatio() * Math.max(1, compressedIn)) {
                chunk.release();
                throw new DecompressionLimitException("the " + options.codec().label() + " stream expands "
                        + decompressedOut / Math.max(1, compressedIn) + "-fold, beyond the limit of "
                        + options.maxExpansionRatio() + " (" + decompressedOut + " bytes from " + compressedIn + ")");
            }
        }

        private void fail(Throwable e, boolean badInput) {
            if (terminated) {
                Operators.onErrorDropped(e, actual.currentContext());
                return;
            }
            terminated = true;
            cleanUp();
            if (badInput) {
                onBadInput.accept((DecompressionException) e);
            }
            actual.onError(e);
        }

        private void cleanUp() {
            Decoder d = decoder;
            decoder = null;
            if (d != null) {
                d.close();
            }
            releaseIncoming();
        }

        private void releaseIncoming() {
            ByteBuf in = incoming;
            if (in != null) {
                incoming = null;
                in.release();
            }
        }
    }
}
