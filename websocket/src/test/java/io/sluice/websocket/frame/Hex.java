package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/** Test fixtures written as spaced hex, and buffers read back as hex. */
public final class Hex {

    private Hex() {
    }

    public static byte[] bytes(String spacedHex) {
        return ByteBufUtil.decodeHexDump(spacedHex.replace(" ", ""));
    }

    public static ByteBuf buffer(ByteBufAllocator alloc, String spacedHex) {
        byte[] b = bytes(spacedHex);
        return alloc.buffer(b.length).writeBytes(b);
    }

    /**
     * The readable bytes of {@code buf}, all of them, as hex, read in one call and left in place (the buffer is not
     * released): the form payloads are compared in. Under the test kit's paranoid leak detection every access to a
     * buffer records a stack trace, and a byte-by-byte dump of a large payload would record thousands.
     */
    public static String of(ByteBuf buf) {
        return ByteBufUtil.hexDump(ByteBufUtil.getBytes(buf));
    }

    /** The readable bytes of {@code buf} as hex, releasing it. */
    public static String hexAndRelease(ByteBuf buf) {
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    public static String utf8Hex(String text) {
        return ByteBufUtil.hexDump(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} repetitions of the byte {@code hexByte}, as hex. */
    public static String repeat(String hexByte, int n) {
        return hexByte.repeat(n);
    }
}
