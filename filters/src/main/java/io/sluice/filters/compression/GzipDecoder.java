package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * gzip (RFC 1952) decompression, incremental and safe against input split at any byte: the header is parsed by
 * {@link GzipHeaderReader}, the body by the JDK's raw {@link Inflater}, and each member's trailer (CRC32, ISIZE) is
 * checked. Members may follow one another, as {@code cat a.gz b.gz} and pigz produce; anything else after a member
 * is an error. The inflater's native state is ended on {@link #close()}.
 */
final class GzipDecoder extends InputHoldingDecoder {

    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0);

    private enum State { HEADER, BODY, TRAILER, MEMBER_END }

    private final Inflater inflater = new Inflater(true);
    private final GzipHeaderReader header = new GzipHeaderReader();
    private final CRC32 crc = new CRC32();
    private State state = State.HEADER;
    private int members;
    private long size;
    private int trailerCount;
    private long trailerCrc;
    private long trailerSize;


    @Override
    public ByteBuf next(ByteBufAllocator alloc, int maxBytes) throws DecompressionException {
        for (;;) {
            if (pending == null) {
                return null;
            }
            switch (state) {
                case MEMBER_END -> {
                    if (!pending.isReadable()) {
                        dropInput();
                        return null;
                    }
                    header.reset(members + 1);
                    state = State.HEADER;
                }
                case HEADER -> {
                    if (!header.read(pending)) {
                        dropInput();
                        return null;
                    }
                    startBody();
                }
                case BODY -> {
                    ByteBuf out = inflate(alloc, maxBytes);
                    if (out != null) {
                        return out;
                    }
                }
                case TRAILER -> readTrailer();
            }
        }
    }

    private void startBody() {
        inflater.reset();
        crc.reset();
        size = 0;
        state = State.BODY;
    }

    /** One inflate call: a chunk, or null when it moved to the trailer or consumed all input (then dropped). */
    private ByteBuf inflate(ByteBufAllocator alloc, int maxBytes) throws DecompressionException {
        int offered = pending.readableBytes();
        if (offered == 0) {
            dropInput();
            return null;
        }
        inflater.setInput(pending.nioBuffer());
        byte[] scratch = Scratch.get();
        int n;
        try {
            n = inflater.inflate(scratch, 0, Math.min(maxBytes, Scratch.MAX));
        } catch (DataFormatException e) {
            throw new DecompressionException("corrupt gzip stream: " + e.getMessage(), e);
        } finally {
            // zlib keeps what it consumed; the rest stays in our buffer, which may hold the trailer or a new member.
            pending.skipBytes(offered - inflater.getRemaining());
            inflater.setInput(NO_INPUT);
        }
        if (inflater.finished()) {
            state = State.TRAILER;
            trailerCount = 0;
            trailerCrc = 0;
            trailerSize = 0;
        } else if (n == 0 && pending.readableBytes() == offered) {
            throw new DecompressionException("corrupt gzip stream: the inflater made no progress");
        }
        if (n == 0) {
            return null;
        }
        crc.update(scratch, 0, n);
        size += n;
        ByteBuf out = alloc.buffer(n, n);
        out.writeBytes(scratch, 0, n);
        return out;
    }

    private void readTrailer() throws DecompressionException {
        while (trailerCount < GzipFormat.TRAILER_LENGTH) {
            if (!pending.isReadable()) {
                dropInput();
                return;
            }
            long b = pending.readUnsignedByte();
            if (trailerCount < 4) {
                trailerCrc |= b << (8 * trailerCount);
            } else {
                trailerSize |= b << (8 * (trailerCount - 4));
            }
            trailerCount++;
        }
        members++;
        if (trailerCrc != crc.getValue()) {
            throw new DecompressionException(String.format(
                    "gzip member %d: CRC32 mismatch: trailer says 0x%08x, data has 0x%08x", members, trailerCrc,
                    crc.getValue()));
        }
        long actualSize = size & 0xffffffffL;
        if (trailerSize != actualSize) {
            throw new DecompressionException("gzip member " + members + ": ISIZE mismatch: trailer says "
                    + trailerSize + " bytes, data has " + actualSize + " (mod 2^32)");
        }
        state = State.MEMBER_END;
    }


    /** True between members: after a whole member, before any byte of the next. */
    @Override
    public boolean finished() {
        return state == State.MEMBER_END;
    }

    @Override
    public void close() {
        dropInput();
        inflater.end();
    }
}
