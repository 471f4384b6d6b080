package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** How frame readers keep bytes that do not yet form a whole header or control frame. */
final class Cumulation {

    private Cumulation() {
    }

    /**
     * {@code cum} with {@code in} appended; takes ownership of both and returns the buffer to keep. The first input
     * is kept as it is; later ones are appended in place only while no slice handed out still shares the
     * cumulation (compacting it then cannot move bytes under a live slice), otherwise the unread tail and {@code in}
     * are merged into a fresh buffer.
     */
    static ByteBuf append(ByteBufAllocator alloc, ByteBuf cum, ByteBuf in) {
        if (cum == null) {
            return in;
        }
        try {
            int needed = in.readableBytes();
            if (cum.refCnt() == 1 && !cum.isReadOnly()) {
                cum.discardSomeReadBytes();
                if (cum.maxWritableBytes() >= needed) {
                    ByteCopy.append(in, in.readerIndex(), needed, cum);
                    return cum;
                }
            }
            ByteBuf merged = alloc.buffer(cum.readableBytes() + needed);
            ByteCopy.append(cum, cum.readerIndex(), cum.readableBytes(), merged);
            ByteCopy.append(in, in.readerIndex(), needed, merged);
            cum.release();
            return merged;
        } finally {
            in.release();
        }
    }
}
