package io.sluice.websocket.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes HTTP heads as bytes (ISO-8859-1, CRLF line ends), with room for a body after them.
 *
 * <p>Ownership: each returned buffer is new, allocated from the given allocator, and owned by the caller.
 */
public final class HeadWriter {

    private static final int CRLF = ('\r' << 8) | '\n';
    private static final int COLON_SPACE = (':' << 8) | ' ';

    private HeadWriter() {
    }

    /** The request head, followed by {@code bodyCapacity} bytes of room. */
    public static ByteBuf write(HttpRequestHead head, ByteBufAllocator allocator, int bodyCapacity) {
        String start = head.method() + ' ' + head.target() + ' ' + head.version();
        return write(start, head.headers(), allocator, bodyCapacity);
    }

    /** The response head, followed by {@code bodyCapacity} bytes of room. */
    public static ByteBuf write(HttpResponseHead head, ByteBufAllocator allocator, int bodyCapacity) {
        String start = head.version() + ' ' + head.status() + ' ' + head.reason();
        return write(start, head.headers(), allocator, bodyCapacity);
    }

    private static ByteBuf write(String startLine, HttpHeaders headers, ByteBufAllocator allocator, int bodyCapacity) {
        int size = startLine.length() + 4;
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() + headers.value(i).length() + 4;
        }
        ByteBuf buf = allocator.buffer(size + bodyCapacity);
        try {
            ByteBufUtil.writeAscii(buf, startLine);
            buf.writeShort(CRLF);
            for (int i = 0; i < headers.size(); i++) {
                writeLatin1(buf, headers.name(i));
                buf.writeShort(COLON_SPACE);
                writeLatin1(buf, headers.value(i));
                buf.writeShort(CRLF);
            }
            buf.writeShort(CRLF);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private static void writeLatin1(ByteBuf buf, String s) {
        for (int i = 0; i < s.length(); i++) {
            buf.writeByte(s.charAt(i));
        }
    }
}
