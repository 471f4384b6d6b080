package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;

/**
 * Reads one gzip member header (RFC 1952, section 2.3) from input that may arrive split at any byte: it keeps its
 * place between calls and consumes only header bytes. Optional fields (extra, name, comment) are skipped, not kept,
 * so a long one costs no memory; a header CRC, when present, is checked. Reads from buffers the caller owns.
 */
final class GzipHeaderReader {

    private enum State { ID1, ID2, CM, FLG, FIXED, XLEN, EXTRA, NAME, COMMENT, HCRC, DONE }

    /** MTIME (4), XFL and OS: read and ignored. */
    private static final int FIXED_LENGTH = 6;

    private final CRC32 headerCrc = new CRC32();
    private State state = State.ID1;
    private int member = 1;
    private int flags;
    private int count;
    private int value;

    /** Starts over for member {@code member} (1-based), which names the member in error messages. */
    void reset(int member) {
        this.member = member;
        this.state = State.ID1;
        this.flags = 0;
        this.count = 0;
        this.value = 0;
        headerCrc.reset();
    }

    /** Whether some but not all of a header has been read. */
    boolean started() {
        return state != State.ID1 && state != State.DONE;
    }

    /**
     * Consumes header bytes from {@code in}; true once the whole header is read (the rest of {@code in} is then the
     * deflate data), false when {@code in} ran out first.
     */
    boolean read(ByteBuf in) throws DecompressionException {
        while (state != State.DONE) {
            if (!in.isReadable()) {
                return false;
            }
            int b = in.readUnsignedByte();
            if (state != State.HCRC) {
                headerCrc.update(b);
            }
            accept(b);
        }
        return true;
    }

    private void accept(int b) throws DecompressionException {
        switch (state) {
            case ID1 -> {
                expect(b, GzipFormat.ID1, "ID1");
                state = State.ID2;
            }
            case ID2 -> {
                expect(b, GzipFormat.ID2, "ID2");
                state = State.CM;
            }
            case CM -> {
                if (b != GzipFormat.CM_DEFLATE) {
                    throw new DecompressionException("gzip member " + member + ": compression method " + b
                            + " is not supported, only 8 (deflate)");
                }
                state = State.FLG;
            }
            case FLG -> {
                if ((b & GzipFormat.FRESERVED) != 0) {
                    throw new DecompressionException(String.format(
                            "gzip member %d: reserved header flag bits set: 0x%02x", member, b & GzipFormat.FRESERVED));
                }
                flags = b;
                startCounting(State.FIXED);
            }
            case FIXED -> {
                if (++count == FIXED_LENGTH) {
                    afterFixed();
                }
            }
            case XLEN -> {
                value |= b << (8 * count);
                if (++count == 2) {
                    int xlen = value;
                    startCounting(State.EXTRA);
                    value = xlen;
                    if (xlen == 0) {
                        afterExtra();
                    }
                }
            }
            case EXTRA -> {
                if (++count == value) {
                    afterExtra();
                }
            }
            case NAME -> {
                if (b == 0) {
                    afterName();
                }
            }
            case COMMENT -> {
                if (b == 0) {
                    afterComment();
                }
            }
            case HCRC -> {
                value |= b << (8 * count);
                if (++count == 2) {
                    int computed = (int) headerCrc.getValue() & 0xffff;
                    if (value != computed) {
                        throw new DecompressionException(String.format(
                                "gzip member %d: header CRC16 mismatch: header says 0x%04x, computed 0x%04x",
                                member, value, computed));
                    }
                    state = State.DONE;
                }
            }
            case DONE -> throw new IllegalStateException("header already read");
        }
    }

    private void expect(int b, int wanted, String field) throws DecompressionException {
        if (b != wanted) {
            String where = member == 1 ? "not a gzip stream" : "garbage after gzip member " + (member - 1);
            throw new DecompressionException(String.format("%s: %s is 0x%02x, expected 0x%02x", where, field, b,
                    wanted));
        }
    }

    private void startCounting(State next) {
        state = next;
        count = 0;
        value = 0;
    }

    private void afterFixed() {
        if ((flags & GzipFormat.FEXTRA) != 0) {
            startCounting(State.XLEN);
        } else {
            afterExtra();
        }
    }

    private void afterExtra() {
        if ((flags & GzipFormat.FNAME) != 0) {
            startCounting(State.NAME);
        } else {
            afterName();
        }
    }

    private void afterName() {
        if ((flags & GzipFormat.FCOMMENT) != 0) {
            startCounting(State.COMMENT);
        } else {
            afterComment();
        }
    }

    private void afterComment() {
        if ((flags & GzipFormat.FHCRC) != 0) {
            startCounting(State.HCRC);
        } else {
            state = State.DONE;
        }
    }
}
