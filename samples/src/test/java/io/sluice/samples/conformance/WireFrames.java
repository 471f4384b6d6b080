package io.sluice.samples.conformance;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The frame layout of RFC 6455 §5.2 as the raw test clients ({@link WirePeer}, {@link RawWebSocketClient}) write and
 * read it over a blocking socket, sharing no code with Sluice: masked client frames with any header bits, written
 * whole or in chops, and the server's frames read one at a time. Nothing here judges a frame beyond what is needed to
 * read the next one; the clients do that.
 */
final class WireFrames {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xa;

    /** The header bit of permessage-deflate among the reserved bits {@code rsv} (RSV1, RSV2, RSV3). */
    static final int RSV1 = 0x4;

    private WireFrames() {
    }

    /** One frame as the server sent it, unmasked. */
    record Frame(int b0, byte[] payload) {

        boolean fin() {
            return (b0 & 0x80) != 0;
        }

        /** The three reserved bits, RSV1 highest. */
        int rsv() {
            return (b0 >> 4) & 0x7;
        }

        boolean rsv1() {
            return (rsv() & RSV1) != 0;
        }

        int opcode() {
            return b0 & 0x0f;
        }
    }

    /** A frame the server sent that cannot be read past: masked, or too long to hold. */
    static final class Unreadable extends IOException {
        Unreadable(String what) {
            super(what);
        }
    }

    /** A client frame: its header, with a fresh masking key, and its payload masked in as many parts as it comes. */
    static final class Masked {
        private final int b0;
        private final int length;
        private final byte[] key = new byte[4];
        private int offset;

        Masked(int opcode, boolean fin, int rsv, int length, Random masks) {
            this.b0 = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
            this.length = length;
            masks.nextBytes(key);
        }

        byte[] header() {
            ByteBuffer header = ByteBuffer.allocate(14);
            header.put((byte) b0);
            if (length <= 125) {
                header.put((byte) (0x80 | length));
            } else if (length <= 0xffff) {
                header.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                header.put((byte) (0x80 | 127)).putLong(length);
            }
            header.put(key);
            return Arrays.copyOf(header.array(), header.position());
        }

        /** The next {@code part} of the payload, masked where it falls in the frame. */
        byte[] mask(byte[] part) {
            byte[] masked = new byte[part.length];
            for (int i = 0; i < part.length; i++) {
                masked[i] = (byte) (part[i] ^ key[(offset + i) & 3]);
            }
            offset += part.length;
            return masked;
        }
    }

    /** A whole client frame, header and masked payload, {@code rsv} its reserved bits (RSV1 highest). */
    static byte[] masked(int opcode, boolean fin, int rsv, byte[] payload, Random masks) {
        Masked frame = new Masked(opcode, fin, rsv, payload.length, masks);
        ByteArrayOutputStream whole = new ByteArrayOutputStream(payload.length + 14);
        whole.writeBytes(frame.header());
        whole.writeBytes(frame.mask(payload));
        return whole.toByteArray();
    }

    /** A close frame's payload: {@code code}, then {@code reason}. */
    static byte[] closePayload(int code, byte[] reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array();
    }

    /**
     * Writes {@code bytes} at once when {@code chop} is 0, else in chops of {@code chop} bytes, each flushed, with
     * {@code pauseNanos} between them.
     */
    static void write(OutputStream out, byte[] bytes, int chop, long pauseNanos) throws IOException {
        if (chop <= 0) {
            out.write(bytes);
            out.flush();
            return;
        }
        for (int from = 0; from < bytes.length; from += chop) {
            out.write(bytes, from, Math.min(chop, bytes.length - from));
            out.flush();
            if (pauseNanos > 0) {
                LockSupport.parkNanos(pauseNanos);
            }
        }
    }

    /**
     * The next frame from the server; null when the connection ends before one begins.
     *
     * @throws Unreadable when the frame is masked or longer than an array holds, read no further than its length
     * @throws EOFException when the connection ends inside the frame
     */
    static Frame read(DataInputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((b1 & 0x80) != 0) {
            throw new Unreadable("a masked frame from the server");
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new Unreadable("a frame of " + length + " bytes");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("the connection ended inside a frame");
        }
        return new Frame(b0, payload);
    }
}
