package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;

/**
 * The input bookkeeping every {@link Decoder} shares: it holds one fed buffer until the codec has consumed it, and
 * releases it exactly once, when dropped or on close.
 */
abstract class InputHoldingDecoder implements Decoder {

    /** The compressed input not yet consumed, owned here; null when the decoder needs more. */
    protected ByteBuf pending;

    @Override
    public final void feed(ByteBuf compressed) {
        if (pending != null) {
            compressed.release();
            throw new IllegalStateException("input fed before the previous input was consumed");
        }
        pending = compressed;
        fed(compressed);
    }

    /** Called with each new input, for codecs that hand it to their library at once. */
    protected void fed(ByteBuf compressed) {
    }

    /** Releases the held input; returns {@code null}, so that {@code next} can end with {@code return dropInput()}. */
    protected ByteBuf dropInput() {
        ByteBuf p = pending;
        pending = null;
        if (p != null) {
            p.release();
        }
        return null;
    }
}
