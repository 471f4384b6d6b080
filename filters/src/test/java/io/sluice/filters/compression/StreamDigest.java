package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;

/** A running byte count and CRC32 of a stream, so that a large stream can be checked without being held. */
final class StreamDigest {

    private final CRC32 crc = new CRC32();
    private long count;

    /** Adds the readable bytes of {@code b}, which stays the caller's. */
    void update(ByteBuf b) {
        crc.update(b.nioBuffer());
        count += b.readableBytes();
    }

    void update(byte[] bytes) {
        crc.update(bytes);
        count += bytes.length;
    }

    long count() {
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamDigest d && d.count == count && d.crc.getValue() == crc.getValue();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count * 31 + crc.getValue());
    }

    @Override
    public String toString() {
        return count + " bytes, crc32 " + Long.toHexString(crc.getValue());
    }
}
