package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Checks that bytes are well-formed UTF-8 (Unicode Table 3-7) as they arrive, so a text message split over many
 * frames is refused at its first bad byte rather than at its end: overlong forms, UTF-16 surrogates (U+D800-DFFF),
 * code points above U+10FFFF and stray continuation bytes all fail where they occur. A sequence cut short is only
 * known bad when the message ends: ask {@link #isComplete()} then.
 *
 * <p>One validator follows one message at a time; {@link #reset()} starts the next. Not thread-safe. Buffers are
 * only read.
 */
public final class Utf8Validator {

    private static final long ASCII_MASK = 0x8080808080808080L;

    /** Continuation bytes the current sequence still needs. */
    private int needed;
    /** Bounds of the next continuation byte: narrower than 80..BF right after some lead bytes. */
    private int lower = 0x80;
    private int upper = 0xbf;
    private boolean failed;
    private long position;

    /**
     * Checks {@code length} bytes of {@code buf} from {@code index}, on the buffer's memory through its NIO views.
     *
     * @return -1 when they are well-formed so far, else the index in {@code buf} of the first bad byte (after which
     *         the validator stays failed)
     */
    public int update(ByteBuf buf, int index, int length) {
        if (failed) {
            return index;
        }
        if (length == 0) {
            return -1;
        }
        int at = index;
        for (ByteBuffer part : buf.nioBuffers(index, length)) {
            int size = part.remaining();
            int bad = update(part);
            if (bad >= 0) {
                failed = true;
                position += bad;
                return at + bad;
            }
            position += size;
            at += size;
        }
        return -1;
    }

    /** The offset within {@code part} of its first bad byte, or -1. */
    private int update(ByteBuffer part) {
        int start = part.position();
        int end = part.limit();
        int i = start;
        while (i < end) {
            if (needed == 0) {
                while (i + 8 <= end && (part.getLong(i) & ASCII_MASK) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            if (!accept(part.get(i) & 0xff)) {
                return i - start;
            }
            i++;
        }
        return -1;
    }

    /** Checks the readable bytes of {@code buf}; true while everything seen is well-formed. */
    public boolean update(ByteBuf buf) {
        return update(buf, buf.readerIndex(), buf.readableBytes()) < 0;
    }

    /** True when no bad byte was seen and no sequence is left open: the message may end here. */
    public boolean isComplete() {
        return !failed && needed == 0;
    }

    /** Bytes checked since the last reset; after a failure, the offset of the bad byte. */
    public long position() {
        return position;
    }

    public void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xbf;
        failed = false;
        position = 0;
    }

    /** Whether all readable bytes of {@code buf} form complete, well-formed UTF-8. */
    public static boolean isValid(ByteBuf buf) {
        Utf8Validator v = new Utf8Validator();
        return v.update(buf) && v.isComplete();
    }

    private boolean accept(int b) {
        if (needed == 0) {
            return lead(b);
        }
        if (b < lower || b > upper) {
            return false;
        }
        needed--;
        lower = 0x80;
        upper = 0xbf;
        return true;
    }

    private boolean lead(int b) {
        if (b < 0x80) {
            return true;
        }
        if (b < 0xc2) {
            return false; // a continuation byte without a lead, or C0/C1: an overlong two-byte form
        }
        if (b < 0xe0) {
            needed = 1;
            return true;
        }
        if (b < 0xf0) {
            needed = 2;
            lower = b == 0xe0 ? 0xa0 : 0x80; // E0 80..9F would be overlong
            upper = b == 0xed ? 0x9f : 0xbf; // ED A0..BF would encode a surrogate
            return true;
        }
        if (b < 0xf5) {
            needed = 3;
            lower = b == 0xf0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            upper = b == 0xf4 ? 0x8f : 0xbf; // F4 90.. would exceed U+10FFFF
            return true;
        }
        return false; // F5..FF start nothing valid
    }
}
