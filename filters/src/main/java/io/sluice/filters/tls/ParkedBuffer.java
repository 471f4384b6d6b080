package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A buffer the drain loop holds while it waits for something outside (more bytes from the lower connection, demand
 * for records), kept where the end of that outside can release it at once, on whatever thread the end is signalled.
 * The lower connection may check its budget as soon as it has told us it ended, even from inside a call we made to
 * it; a buffer parked here is released by then.
 *
 * <p>The loop {@link #take()}s the buffer back before using it and {@link #park(ByteBuf)}s it before waiting; a
 * buffer the loop holds is the loop's to release.
 */
final class ParkedBuffer {

    private static final AtomicReferenceFieldUpdater<ParkedBuffer, ByteBuf> SLOT =
            AtomicReferenceFieldUpdater.newUpdater(ParkedBuffer.class, ByteBuf.class, "slot");

    private volatile ByteBuf slot;
    private volatile boolean closed;

    /** Leaves {@code buf} here while the loop waits; released at once if the end has already come. */
    void park(ByteBuf buf) {
        slot = buf;
        if (closed) {
            release();
        }
    }

    /** The parked buffer, now the loop's again, or null (none parked, or released by the end). */
    ByteBuf take() {
        return SLOT.getAndSet(this, null);
    }

    /** The end has come: releases what is parked now and whatever is parked later. Any thread. */
    void close() {
        closed = true;
        release();
    }

    private void release() {
        ByteBuf buf = SLOT.getAndSet(this, null);
        if (buf != null) {
            buf.release();
        }
    }
}
