package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * gzip (RFC 1952) compression: one member, written as a 10-byte header, the raw deflate stream of
 * {@link DeflateEncoder}, and the CRC32 and ISIZE trailer on {@link #finish}. A flush is a sync flush of the deflate
 * stream, so the peer can decode everything so far. The header goes out with the first output, so an encoder that
 * is created but never used writes nothing.
 */
final class GzipEncoder implements Encoder {

    private final DeflateEncoder deflate;
    private final ByteBufAllocator alloc;
    private final int level;
    private final CRC32 crc = new CRC32();
    private long size;
    private boolean headerWritten;

    GzipEncoder(int level, ByteBufAllocator alloc, int chunk) {
        this.deflate = new DeflateEncoder(level, true, 0, alloc, chunk);
        this.alloc = alloc;
        this.level = level;
    }

    @Override
    public void encode(ByteBuf in, boolean flush, Consumer<ByteBuf> out) {
        // The checksum covers the uncompressed bytes, so it is taken before the deflater consumes and releases them.
        crc.update(in.nioBuffer());
        size += in.readableBytes();
        writeHeaderOnce(out);
        deflate.encode(in, flush, out);
    }

    @Override
    public void flush(Consumer<ByteBuf> out) {
        writeHeaderOnce(out);
        deflate.flush(out);
    }

    @Override
    public void finish(Consumer<ByteBuf> out) {
        writeHeaderOnce(out);
        deflate.finish(out);
        ByteBuf trailer = alloc.buffer(GzipFormat.TRAILER_LENGTH, GzipFormat.TRAILER_LENGTH);
        trailer.writeIntLE((int) crc.getValue());
        trailer.writeIntLE((int) size); // ISIZE is the length modulo 2^32
        out.accept(trailer);
    }

    private void writeHeaderOnce(Consumer<ByteBuf> out) {
        if (headerWritten) {
            return;
        }
        headerWritten = true;
        ByteBuf header = alloc.buffer(GzipFormat.HEADER_LENGTH, GzipFormat.HEADER_LENGTH);
        header.writeByte(GzipFormat.ID1);
        header.writeByte(GzipFormat.ID2);
        header.writeByte(GzipFormat.CM_DEFLATE);
        header.writeByte(0); // FLG: no name, comment, extra field or header CRC
        header.writeIntLE(0); // MTIME: none; a stream has no file time
        header.writeByte(GzipFormat.extraFlags(level));
        header.writeByte(GzipFormat.OS_UNKNOWN);
        out.accept(header);
    }

    @Override
    public void close() {
        deflate.close();
    }
}
