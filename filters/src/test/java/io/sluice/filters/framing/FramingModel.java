package io.sluice.filters.framing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the framing filters' documentation says a whole input frames into, written out plainly and independently of
 * the parsers, as the fuzz tests' oracle: the frames, then completion or the framing error it ends with.
 */
final class FramingModel {

    /** The frames an input holds, then its end: null for a clean end, else the type of framing error. */
    record Expected(List<byte[]> frames, Class<? extends FramingException> error) {
        @Override
        public String toString() {
            return frames.size() + " frames, then " + (error == null ? "completion" : error.getSimpleName());
        }
    }

    private FramingModel() {
    }

    /**
     * Big-endian unsigned length field of {@code fieldBytes}, then that many payload bytes. A length above
     * {@code max} is too long (as soon as the field is read); an input ending inside a field or a payload is
     * truncated.
     */
    static Expected lengthField(byte[] in, int fieldBytes, int max) {
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        for (;;) {
            int rest = in.length - pos;
            if (rest == 0) {
                return new Expected(frames, null);
            }
            if (rest < fieldBytes) {
                return new Expected(frames, TruncatedFrameException.class);
            }
            long length = 0;
            for (int i = 0; i < fieldBytes; i++) {
                length = (length << 8) | (in[pos + i] & 0xFF);
            }
            if (length > max) {
                return new Expected(frames, FrameTooLongException.class);
            }
            if (rest - fieldBytes < length) {
                return new Expected(frames, TruncatedFrameException.class);
            }
            frames.add(Arrays.copyOfRange(in, pos + fieldBytes, pos + fieldBytes + (int) length));
            pos += fieldBytes + (int) length;
        }
    }

    /**
     * Lines ending with {@code delimiter}; in newline mode ({@code \n}) a {@code \r} just before it is dropped too. An
     * unterminated last line is a frame as it is. A line (without its delimiter) longer than {@code max} is too long.
     */
    static Expected lines(byte[] in, byte[] delimiter, boolean newlineMode, int max) {
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        while (pos < in.length) {
            int at = indexOf(in, pos, delimiter);
            if (at < 0) {
                if (in.length - pos > max) {
                    return new Expected(frames, FrameTooLongException.class);
                }
                frames.add(Arrays.copyOfRange(in, pos, in.length));
                break;
            }
            int end = at;
            if (newlineMode && end > pos && in[end - 1] == '\r') {
                end--;
            }
            if (end - pos > max) {
                return new Expected(frames, FrameTooLongException.class);
            }
            frames.add(Arrays.copyOfRange(in, pos, end));
            pos = at + delimiter.length;
        }
        return new Expected(frames, null);
    }

    private static int indexOf(byte[] in, int from, byte[] sought) {
        outer:
        for (int i = from; i <= in.length - sought.length; i++) {
            for (int k = 0; k < sought.length; k++) {
                if (in[i + k] != sought[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
