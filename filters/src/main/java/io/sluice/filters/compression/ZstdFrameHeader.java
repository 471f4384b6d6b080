package io.sluice.filters.compression;

/**
 * Reads the header at the start of each zstd frame (RFC 8878, section 3.1.1.1) before the decoder sees it, so that
 * a frame demanding a window beyond the limit is refused before zstd allocates it. zstd-jni's
 * {@code ZstdDecompressCtx} offers no {@code ZSTD_d_windowLogMax} setting; this is that check, done by us.
 *
 * <p>Bytes are added one call at a time until the header is whole; it holds at most {@link #MAX_SIZE} of them.
 */
final class ZstdFrameHeader {

    static final int MAX_SIZE = 18;
    private static final int MAGIC = 0xFD2FB528;
    private static final int[] DICTIONARY_ID_SIZE = {0, 1, 2, 4};

    private final byte[] bytes = new byte[MAX_SIZE];
    private final long maxWindow;
    private final int maxWindowLog;
    private int length;

    ZstdFrameHeader(int maxWindowLog) {
        this.maxWindowLog = maxWindowLog;
        this.maxWindow = 1L << maxWindowLog;
    }

    /** Forgets the header read, for the next frame. */
    void reset() {
        length = 0;
    }

    int length() {
        return length;
    }

    byte[] bytes() {
        return bytes;
    }

    /** How many more bytes the header needs: 0 once it is whole (or is not a zstd frame's, for zstd to reject). */
    int missing() {
        if (length < 5) {
            return 5 - length;
        }
        int magic = intAt(0);
        if (magic != MAGIC) {
            return 0; // a skippable frame needs no window; anything else zstd itself rejects
        }
        return size() - length;
    }

    void add(byte b) {
        bytes[length++] = b;
    }

    /** Checks the whole header's window against the limit. */
    void check() throws DecompressionException {
        if (length < 5 || intAt(0) != MAGIC) {
            return;
        }
        int descriptor = bytes[4] & 0xFF;
        boolean singleSegment = (descriptor & 0x20) != 0;
        long window;
        if (singleSegment) {
            window = contentSize(descriptor);
        } else {
            int w = bytes[5] & 0xFF;
            int log = 10 + (w >>> 3);
            long base = 1L << log;
            window = base + (base / 8) * (w & 7);
        }
        if (Long.compareUnsigned(window, maxWindow) > 0) {
            throw new DecompressionLimitException("zstd frame needs a window of " + Long.toUnsignedString(window)
                    + " bytes, beyond the limit of " + maxWindow + " (window log " + maxWindowLog + ")");
        }
    }

    /** Whether the whole header declares the frame's content size (RFC 8878, Frame_Content_Size). */
    boolean declaresContentSize() {
        if (length < 5 || intAt(0) != MAGIC) {
            return false;
        }
        int descriptor = bytes[4] & 0xFF;
        return contentSizeFieldSize(descriptor) > 0;
    }

    /** The content size the whole header declares, unsigned; only when {@link #declaresContentSize()}. */
    long contentSize() {
        return contentSize(bytes[4] & 0xFF);
    }

    private int size() {
        int descriptor = bytes[4] & 0xFF;
        boolean singleSegment = (descriptor & 0x20) != 0;
        return 5 + (singleSegment ? 0 : 1) + DICTIONARY_ID_SIZE[descriptor & 3] + contentSizeFieldSize(descriptor);
    }

    private static int contentSizeFieldSize(int descriptor) {
        return switch (descriptor >>> 6) {
            case 0 -> (descriptor & 0x20) != 0 ? 1 : 0;
            case 1 -> 2;
            case 2 -> 4;
            default -> 8;
        };
    }

    private long contentSize(int descriptor) {
        boolean singleSegment = (descriptor & 0x20) != 0; // then no window byte
        int at = 5 + (singleSegment ? 0 : 1) + DICTIONARY_ID_SIZE[descriptor & 3];
        int size = contentSizeFieldSize(descriptor);
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[at + i] & 0xFF);
        }
        return size == 2 ? value + 256 : value;
    }

    private int intAt(int i) {
        return (bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF) << 16 | (bytes[i + 3] & 0xFF) << 24;
    }
}
