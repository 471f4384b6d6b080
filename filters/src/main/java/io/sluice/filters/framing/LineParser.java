package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;

/**
 * Finds lines ending with a delimiter. In newline mode the delimiter is {@code \n} and a {@code \r} just before it
 * is stripped too; otherwise the delimiter is the configured byte sequence, matched exactly.
 */
final class LineParser implements FrameParser {

    private final Delimiter delimiter;
    private final boolean newlineMode;
    private final int maxLineLength;
    /** Bytes after the reader index known to hold no delimiter start, so every byte is scanned about once. */
    private int scanned;

    LineParser(Delimiter delimiter, boolean newlineMode, int maxLineLength) {
        this.delimiter = delimiter;
        this.newlineMode = newlineMode;
        this.maxLineLength = maxLineLength;
    }

    @Override
    public ByteBuf next(ByteBuf cumulation) throws FramingException {
        int readable = cumulation.readableBytes();
        int at = indexOfDelimiter(cumulation, Math.max(0, scanned - delimiter.length() + 1), readable);
        if (at < 0) {
            scanned = readable;
            // A delimiter may still complete at the end (newline mode: a trailing \r may precede the \n).
            int mayStillBeDelimiter = newlineMode ? 1 : delimiter.length() - 1;
            if (readable - mayStillBeDelimiter > maxLineLength) {
                throw tooLong();
            }
            return null;
        }
        int length = at;
        if (newlineMode && at > 0 && cumulation.getByte(cumulation.readerIndex() + at - 1) == '\r') {
            length--;
        }
        if (length > maxLineLength) {
            throw tooLong();
        }
        scanned = 0;
        ByteBuf line = cumulation.readRetainedSlice(length);
        cumulation.skipBytes(at - length + delimiter.length());
        return line;
    }

    /** An unterminated last line is delivered as it is, like {@code BufferedReader.readLine()} does. */
    @Override
    public ByteBuf last(ByteBuf cumulation) throws FramingException {
        int length = cumulation.readableBytes();
        if (length > maxLineLength) {
            throw tooLong();
        }
        scanned = 0;
        return cumulation.readRetainedSlice(length);
    }

    /** Offset from the reader index of the first delimiter starting at or after offset {@code from}, or -1. */
    private int indexOfDelimiter(ByteBuf buf, int from, int readable) {
        int base = buf.readerIndex();
        int found = delimiter.indexIn(buf, base + from, base + readable);
        return found < 0 ? -1 : found - base;
    }

    private FrameTooLongException tooLong() {
        return new FrameTooLongException("line exceeds the limit of " + maxLineLength + " bytes");
    }

    @Override
    public String toString() {
        return "line framing (max " + maxLineLength + ")";
    }
}
