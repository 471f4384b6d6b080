package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_BINARY;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CLOSE;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CONTINUATION;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_PING;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_PONG;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_TEXT;

import io.netty.buffer.ByteBufUtil;
import io.sluice.test.Mutations;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * RFC 6455 frame streams as a peer writes them, for fuzzing: random valid streams (messages whole and fragmented,
 * control frames between fragments, a close at the end or not), the bytes they encode to, the frames a reader must
 * yield from them, and streams with one frame's length field set to a boundary value in any encoding. No buffers
 * cross this class.
 */
public final class WireFrames {

    /**
     * One frame: {@code declaredLength} is what its header says, {@code lengthBytes} how (0: 7 bits, 2 or 8); both
     * match {@code payload} in its minimal encoding unless set otherwise by {@link #withLength}.
     */
    public record Spec(boolean fin, int rsv, int opcode, byte[] payload, boolean masked, int maskKey,
                       long declaredLength, int lengthBytes) {

        /** How a reader that unmasks and gathers pieces describes this frame: "opcode fin rsv1 hex". */
        public String described() {
            return describe(opcode, fin, (rsv & 4) != 0, ByteBufUtil.hexDump(payload));
        }
    }

    /** Which peer writes the stream and what it may use. */
    public record Peer(boolean masks, boolean rsv1, int maxFrameSize) {
    }

    private WireFrames() {
    }

    /** The shared description of a frame, for comparing what a reader yields with what was written. */
    public static String describe(int opcode, boolean fin, boolean rsv1, String payloadHex) {
        return WebSocketProtocol.opcodeName(opcode) + (fin ? " fin" : "") + (rsv1 ? " rsv1" : "") + " " + payloadHex;
    }

    public static Spec frame(SplittableRandom r, Peer peer, boolean fin, int rsv, int opcode, byte[] payload) {
        long length = payload.length;
        int lengthBytes = length <= 125 ? 0 : length <= 0xffff ? 2 : 8;
        return new Spec(fin, rsv, opcode, payload, peer.masks(), peer.masks() ? r.nextInt() : 0, length, lengthBytes);
    }

    /** {@code spec} with its header declaring {@code length} in {@code lengthBytes} (0 only if it fits 7 bits). */
    public static Spec withLength(Spec spec, long length, int lengthBytes) {
        int bytes = lengthBytes == 0 && (length < 0 || length > 125) ? 8 : lengthBytes;
        return new Spec(spec.fin(), spec.rsv(), spec.opcode(), spec.payload(), spec.masked(), spec.maskKey(), length,
                bytes);
    }

    /** A random valid stream of 1 to 8 messages and control frames, ending with a close frame or not. */
    public static List<Spec> randomStream(SplittableRandom r, Peer peer, boolean utf8Text) {
        List<Spec> frames = new ArrayList<>();
        int messages = 1 + r.nextInt(8);
        for (int m = 0; m < messages; m++) {
            if (r.nextInt(4) == 0) {
                frames.add(control(r, peer, r.nextBoolean() ? OPCODE_PING : OPCODE_PONG));
                continue;
            }
            int opcode = r.nextBoolean() ? OPCODE_TEXT : OPCODE_BINARY;
            byte[] message = opcode == OPCODE_TEXT && utf8Text ? utf8(r, peer.maxFrameSize())
                    : Mutations.randomBytes(r, payloadCap(r, peer.maxFrameSize()));
            int rsv = peer.rsv1() && r.nextBoolean() ? 4 : 0;
            int[] cuts = r.nextInt(3) == 0 ? Mutations.cuts(r, message.length + 1) : new int[0];
            int from = 0;
            for (int f = 0; f <= cuts.length; f++) {
                int to = f < cuts.length ? Math.min(cuts[f], message.length) : message.length;
                boolean fin = f == cuts.length;
                frames.add(frame(r, peer, fin, f == 0 ? rsv : 0, f == 0 ? opcode : OPCODE_CONTINUATION,
                        Arrays.copyOfRange(message, from, to)));
                from = to;
                if (!fin && r.nextInt(4) == 0) {
                    frames.add(control(r, peer, OPCODE_PING));
                }
            }
        }
        if (r.nextInt(3) > 0) {
            frames.add(frame(r, peer, true, 0, OPCODE_CLOSE, closePayload(r)));
        }
        return frames;
    }

    private static int payloadCap(SplittableRandom r, int maxFrameSize) {
        int cap = switch (r.nextInt(50)) {
            case 0 -> 70_000;                  // a 64-bit length
            case 1, 2, 3, 4, 5, 6, 7 -> 1_500; // a 16-bit length
            default -> 130;
        };
        return Math.min(cap, maxFrameSize);
    }

    private static Spec control(SplittableRandom r, Peer peer, int opcode) {
        return frame(r, peer, true, 0, opcode, Mutations.randomBytes(r, 125));
    }

    /** A close payload: empty, or a code a peer may send and a short UTF-8 reason. */
    public static byte[] closePayload(SplittableRandom r) {
        if (r.nextInt(4) == 0) {
            return new byte[0];
        }
        int[] codes = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999};
        int code = codes[r.nextInt(codes.length)];
        byte[] reason = new String(Character.toChars(0x61 + r.nextInt(26))).repeat(r.nextInt(10))
                .getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }

    /** Random well-formed UTF-8: mostly ASCII, with two-, three- and four-byte characters. */
    public static byte[] utf8(SplittableRandom r, int maxBytes) {
        int cap = Math.min(payloadCap(r, maxBytes), maxBytes);
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        int target = r.nextInt(cap + 1);
        while (true) {
            int cp = switch (r.nextInt(6)) {
                case 0 -> 0x80 + r.nextInt(0x800 - 0x80);
                case 1 -> r.nextBoolean() ? 0x800 + r.nextInt(0xd800 - 0x800) : 0xe000 + r.nextInt(0x10000 - 0xe000);
                case 2 -> 0x10000 + r.nextInt(0x110000 - 0x10000);
                default -> r.nextInt(0x80);
            };
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > target) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += size;
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of {@code frames} on the wire. */
    public static byte[] encode(List<Spec> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Spec f : frames) {
            out.write((f.fin() ? 0x80 : 0) | (f.rsv() << 4) | f.opcode());
            int maskBit = f.masked() ? 0x80 : 0;
            long len = f.declaredLength();
            if (f.lengthBytes() == 0) {
                out.write(maskBit | (int) len);
            } else if (f.lengthBytes() == 2) {
                out.write(maskBit | 126);
                out.write((int) (len >>> 8) & 0xff);
                out.write((int) len & 0xff);
            } else {
                out.write(maskBit | 127);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) (len >>> (8 * i)) & 0xff);
                }
            }
            byte[] payload = f.payload().clone();
            if (f.masked()) {
                for (int i = 3; i >= 0; i--) {
                    out.write((f.maskKey() >>> (8 * i)) & 0xff);
                }
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= (byte) (f.maskKey() >>> (8 * (3 - (i & 3))));
                }
            }
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    /** What a reader yields from a valid stream: each frame described, up to and with the first close frame. */
    public static List<String> expectedFrames(List<Spec> frames) {
        List<String> out = new ArrayList<>();
        for (Spec f : frames) {
            out.add(f.described());
            if (f.opcode() == OPCODE_CLOSE) {
                break;
            }
        }
        return out;
    }

    /**
     * A mutation of a valid stream: one frame's length field set to a boundary value (or the frame size limit, or
     * one past it) in a random encoding, minimal or not; the payload stays as it was.
     */
    public static List<Spec> withBoundaryLength(SplittableRandom r, List<Spec> frames, int maxFrameSize) {
        List<Spec> out = new ArrayList<>(frames);
        int i = r.nextInt(out.size());
        long[] values = WireMutations.LENGTH_EDGES;
        long length = switch (r.nextInt(4)) {
            case 0 -> maxFrameSize;
            case 1 -> maxFrameSize + 1L;
            default -> values[r.nextInt(values.length)];
        };
        int[] encodings = {0, 2, 8};
        out.set(i, withLength(out.get(i), length, encodings[r.nextInt(encodings.length)]));
        return out;
    }

    /**
     * What a permessage-deflate sender puts in a message's frames (RFC 7692 §7.2.1): the message compressed with a
     * sync flush, the {@code 00 00 FF FF} tail removed.
     */
    public static byte[] deflated(Deflater deflater, byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        byte[] flushed = out.toByteArray();
        if (flushed.length == 0) {
            // Nothing pending and nothing new (an empty message with context takeover): an empty stored block.
            return new byte[] {0};
        }
        byte[] tail = {0, 0, (byte) 0xff, (byte) 0xff};
        if (flushed.length < 4 || !Arrays.equals(flushed, flushed.length - 4, flushed.length, tail, 0, 4)) {
            throw new IllegalStateException("a sync flush ends with 00 00 FF FF");
        }
        return Arrays.copyOf(flushed, flushed.length - 4);
    }

    /**
     * A message of {@code payload} in frames of at most {@code maxFrameSize} bytes, the first with {@code rsv} and
     * {@code opcode}, the others continuations, the last final.
     */
    public static List<Spec> message(SplittableRandom r, Peer peer, int rsv, int opcode, byte[] payload) {
        List<Spec> frames = new ArrayList<>();
        int from = 0;
        do {
            int size = Math.min(payload.length - from, 1 + r.nextInt(peer.maxFrameSize()));
            if (from == 0 && payload.length <= peer.maxFrameSize() && r.nextBoolean()) {
                size = payload.length;
            }
            boolean fin = from + size == payload.length;
            frames.add(frame(r, peer, fin, from == 0 ? rsv : 0, from == 0 ? opcode : OPCODE_CONTINUATION,
                    Arrays.copyOfRange(payload, from, from + size)));
            from += size;
        } while (from < payload.length);
        return frames;
    }
}
