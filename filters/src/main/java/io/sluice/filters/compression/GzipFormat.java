package io.sluice.filters.compression;

/** The constants of RFC 1952 that the gzip encoder and decoder share. */
final class GzipFormat {

    static final int ID1 = 0x1f;
    static final int ID2 = 0x8b;
    static final int CM_DEFLATE = 8;

    static final int FTEXT = 0x01;
    static final int FHCRC = 0x02;
    static final int FEXTRA = 0x04;
    static final int FNAME = 0x08;
    static final int FCOMMENT = 0x10;
    static final int FRESERVED = 0xe0;

    static final int OS_UNKNOWN = 255;

    static final int HEADER_LENGTH = 10;
    static final int TRAILER_LENGTH = 8;

    private GzipFormat() {
    }

    /** XFL: 2 for the slowest, best compression, 4 for the fastest, 0 otherwise (RFC 1952, section 2.3.1). */
    static int extraFlags(int level) {
        if (level == 9) {
            return 2;
        }
        return level == 1 ? 4 : 0;
    }
}
