package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;

/**
 * Copies between buffers memory to memory. {@code dst.writeBytes(src)} from a budget-accounted (wrapped) source
 * makes Netty's adaptive buffers go through NIO views of both sides, two objects per copy; asking the source to
 * {@code getBytes} into the destination lets Netty copy straight between their memory addresses.
 *
 * <p>Ownership: nothing is retained or released; only {@code dst}'s writer index moves.
 */
final class ByteCopy {

    private ByteCopy() {
    }

    /** Appends {@code length} bytes of {@code src} from {@code index} to {@code dst}; {@code src}'s indices stay. */
    static void append(ByteBuf src, int index, int length, ByteBuf dst) {
        dst.ensureWritable(length);
        int at = dst.writerIndex();
        src.getBytes(index, dst, at, length);
        dst.writerIndex(at + length);
    }
}
