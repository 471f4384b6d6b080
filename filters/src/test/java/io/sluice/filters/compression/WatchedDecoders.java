package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Makes the real decoders of a codec and watches each one: whether it was closed (Brotli's and zstd's native state is
 * freed only there) and whether anything used it afterwards. Used from one thread at a time, as decoders are.
 * No buffer is owned here: each call is passed on to the real decoder as it is.
 */
final class WatchedDecoders implements Supplier<Decoder> {

    private final Supplier<Decoder> real;
    private final List<Watched> made = new ArrayList<>();

    WatchedDecoders(CompressionOptions options) {
        NativeLibraries.require(options.codec());
        this.real = () -> options.codec().newDecoder(options);
    }

    @Override
    public Decoder get() {
        Watched w = new Watched(real.get());
        made.add(w);
        return w;
    }

    /** What went wrong with the decoders made so far, or null: one not closed, or one used after its close. */
    String problem() {
        for (Watched w : made) {
            if (!w.closed) {
                return "a " + w.decoder.getClass().getSimpleName() + " was never closed (its codec state leaks)";
            }
            if (w.usedAfterClose != null) {
                return "a " + w.decoder.getClass().getSimpleName() + " was used after its close: " + w.usedAfterClose;
            }
        }
        return null;
    }

    private static final class Watched implements Decoder {
        private final Decoder decoder;
        private boolean closed;
        private String usedAfterClose;

        Watched(Decoder decoder) {
            this.decoder = decoder;
        }

        private void use(String call) {
            if (closed && usedAfterClose == null) {
                usedAfterClose = call;
            }
        }

        @Override
        public void feed(ByteBuf compressed) {
            use("feed");
            decoder.feed(compressed);
        }

        @Override
        public ByteBuf next(ByteBufAllocator alloc, int maxBytes) throws DecompressionException {
            use("next");
            return decoder.next(alloc, maxBytes);
        }

        @Override
        public boolean finished() {
            use("finished");
            return decoder.finished();
        }

        @Override
        public void close() {
            closed = true;
            decoder.close();
        }
    }
}
