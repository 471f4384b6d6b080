package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;

/** The byte sequence that ends a line; searches buffers without copying them. */
final class Delimiter {

    private final byte[] bytes;

    Delimiter(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** Absolute index of the first delimiter lying wholly within [{@code from}, {@code to}) of {@code buf}, or -1. */
    int indexIn(ByteBuf buf, int from, int to) {
        int lastStart = to - bytes.length;
        for (int i = from; i <= lastStart; i++) {
            int found = buf.indexOf(i, lastStart + 1, bytes[0]);
            if (found < 0) {
                return -1;
            }
            if (matchesAt(buf, found)) {
                return found;
            }
            i = found;
        }
        return -1;
    }

    private boolean matchesAt(ByteBuf buf, int index) {
        for (int k = 1; k < bytes.length; k++) {
            if (buf.getByte(index + k) != bytes[k]) {
                return false;
            }
        }
        return true;
    }
}
