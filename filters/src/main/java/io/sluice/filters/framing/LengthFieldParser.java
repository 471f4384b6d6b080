package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;

/** Finds frames of a big-endian unsigned length field followed by that many payload bytes. */
final class LengthFieldParser implements FrameParser {

    private final int fieldBytes;
    private final int maxFrameLength;

    LengthFieldParser(int fieldBytes, int maxFrameLength) {
        this.fieldBytes = fieldBytes;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public ByteBuf next(ByteBuf cumulation) throws FramingException {
        int readable = cumulation.readableBytes();
        if (readable < fieldBytes) {
            return null;
        }
        long length = lengthAt(cumulation, cumulation.readerIndex());
        // Checked before the payload arrives, so an oversized frame is never buffered.
        if (length > maxFrameLength) {
            throw new FrameTooLongException(
                    "frame of " + length + " bytes exceeds the limit of " + maxFrameLength);
        }
        if (readable - fieldBytes < length) {
            return null;
        }
        cumulation.skipBytes(fieldBytes);
        return cumulation.readRetainedSlice((int) length);
    }

    @Override
    public ByteBuf last(ByteBuf cumulation) throws FramingException {
        throw new TruncatedFrameException(
                "stream ended inside a frame with " + cumulation.readableBytes() + " bytes unread");
    }

    private long lengthAt(ByteBuf buf, int index) {
        switch (fieldBytes) {
            case 1:
                return buf.getUnsignedByte(index);
            case 2:
                return buf.getUnsignedShort(index);
            default:
                return buf.getUnsignedInt(index);
        }
    }

    @Override
    public String toString() {
        return "length-field framing (" + fieldBytes + "-byte field, max " + maxFrameLength + ")";
    }
}
