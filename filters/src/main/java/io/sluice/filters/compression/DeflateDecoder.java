package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** zlib or raw deflate decompression with the JDK's {@link Inflater}; its native state is ended on close. */
final class DeflateDecoder extends InputHoldingDecoder {

    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0);

    private final Inflater inflater;
    private final String format;

    DeflateDecoder(boolean raw) {
        this.inflater = new Inflater(raw);
        this.format = raw ? "raw deflate" : "zlib";
    }

    @Override
    protected void fed(ByteBuf compressed) {
        inflater.setInput(compressed.nioBuffer());
    }

    @Override
    public ByteBuf next(ByteBufAllocator alloc, int maxBytes) throws DecompressionException {
        if (pending == null) {
            return null;
        }
        if (inflater.finished()) {
            if (inflater.getRemaining() > 0) {
                int extra = inflater.getRemaining();
                throw new DecompressionException(extra + (extra == 1 ? " byte" : " bytes") + " after the end of the " + format
                        + " stream");
            }
            dropInput();
            return null;
        }
        byte[] scratch = Scratch.get();
        int n;
        try {
            n = inflater.inflate(scratch, 0, Math.min(maxBytes, Scratch.MAX));
        } catch (DataFormatException e) {
            throw new DecompressionException("corrupt " + format + " stream: " + e.getMessage(), e);
        }
        if (n > 0) {
            ByteBuf out = alloc.buffer(n, n);
            out.writeBytes(scratch, 0, n);
            return out;
        }
        if (inflater.needsDictionary()) {
            throw new DecompressionException(format + " stream needs a preset dictionary, which is not supported");
        }
        if (inflater.finished()) {
            return next(alloc, maxBytes); // checks for trailing bytes
        }
        dropInput(); // needs input: everything fed was consumed
        return null;
    }

    /** Also drops the inflater's reference to the buffer about to be released. */
    @Override
    protected ByteBuf dropInput() {
        inflater.setInput(NO_INPUT);
        return super.dropInput();
    }

    @Override
    public boolean finished() {
        return inflater.finished();
    }

    @Override
    public void close() {
        super.dropInput();
        inflater.end();
    }
}
