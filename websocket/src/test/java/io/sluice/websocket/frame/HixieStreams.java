package io.sluice.websocket.frame;

import io.netty.buffer.ByteBufUtil;
import io.sluice.test.Mutations;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hixie-76 frame streams as a peer writes them, for fuzzing: text frames, frames of other types that a reader must
 * skip (by a base-128 length, or up to the sentinel), and the closing handshake. No buffers cross this class.
 */
public final class HixieStreams {

    /** A valid stream, the frames a reader must yield from it (described as {@link WireFrames#describe} does). */
    public record Stream(byte[] bytes, List<String> frames, boolean closes) {
    }

    private HixieStreams() {
    }

    /** One to eight frames within {@code limit}: text, types to skip by length or to the sentinel; a close or not. */
    public static Stream randomStream(SplittableRandom r, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> frames = new ArrayList<>();
        int cap = (int) Math.min(limit, 200);
        int count = 1 + r.nextInt(8);
        for (int n = 0; n < count; n++) {
            switch (r.nextInt(4)) {
                case 0 -> { // a type with the high bit set: a base-128 length, then that many bytes, skipped
                    int type = 0x80 + r.nextInt(0x80);
                    byte[] skipped = Mutations.randomBytes(r, cap);
                    if (type == 0xff && skipped.length == 0) {
                        skipped = new byte[] {0}; // FF 00 is the close
                    }
                    out.write(type);
                    writeLength(out, skipped.length, r.nextInt(8) == 0);
                    out.writeBytes(skipped);
                }
                case 1 -> { // a type without the high bit: bytes up to the sentinel, skipped
                    out.write(1 + r.nextInt(0x7f));
                    out.writeBytes(withoutSentinel(Mutations.randomBytes(r, cap)));
                    out.write(0xff);
                }
                default -> { // text
                    byte[] text = r.nextBoolean() ? WireFrames.utf8(r, cap)
                            : withoutSentinel(Mutations.randomBytes(r, cap));
                    out.write(0x00);
                    out.writeBytes(text);
                    out.write(0xff);
                    frames.add(WireFrames.describe(WebSocketProtocol.OPCODE_TEXT, true, false,
                            ByteBufUtil.hexDump(text)));
                }
            }
        }
        boolean closes = r.nextBoolean();
        if (closes) {
            out.write(0xff);
            out.write(0x00);
            frames.add(WireFrames.describe(WebSocketProtocol.OPCODE_CLOSE, true, false, ""));
        }
        return new Stream(out.toByteArray(), frames, closes);
    }

    /** A base-128 length, most significant group first, optionally after a redundant zero group. */
    private static void writeLength(ByteArrayOutputStream out, int length, boolean leadingZeroGroup) {
        if (leadingZeroGroup) {
            out.write(0x80);
        }
        int groups = 1;
        while (groups < 5 && (length >>> (7 * groups)) != 0) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            out.write(((length >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
        }
    }

    private static byte[] withoutSentinel(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == (byte) 0xff) {
                bytes[i] = 0x7f;
            }
        }
        return bytes;
    }
}
