package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_CLOSE;
import static io.sluice.websocket.frame.WebSocketProtocol.OPCODE_TEXT;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * The frame reader of the legacy Hixie-76 / HyBi-00 protocol (draft-hixie-thewebsocketprotocol-76 §5.3): text frames
 * are {@code 0x00}, UTF-8 bytes, {@code 0xFF}; the closing handshake is {@code 0xFF 0x00}. Frames of any other type
 * are skipped as the draft says: a type with the high bit set carries a base-128 length and that many bytes, one
 * without it runs to the next {@code 0xFF}.
 *
 * <p>Text frames come out in pieces as their bytes arrive (opcode text, final, {@link Frame#UNKNOWN_LENGTH}), since
 * their length is only known at the sentinel. A frame or skipped length over {@code maxMessageSize} fails with 1009;
 * the text of a frame up to the limit is handed out first, so that a frame fails the same way however it was split.
 * Ownership as in {@link FrameReader}.
 */
public final class Hixie76FrameReader implements FrameReader {

    private static final byte SENTINEL = (byte) 0xff;
    private static final int TYPE_TEXT = 0x00;
    private static final int TYPE_CLOSE = 0xff;

    private enum State { FRAME_TYPE, TEXT, LENGTH, SKIP_LENGTH, SKIP_TO_SENTINEL, CLOSED, CORRUPT }

    private final ByteBufAllocator alloc;
    private final long maxMessageSize;

    private State state = State.FRAME_TYPE;
    private ByteBuf cumulation;
    private int type;
    private long length;
    private long consumed;

    public Hixie76FrameReader(ByteBufAllocator alloc, long maxMessageSize) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void feed(ByteBuf bytes) {
        if (state == State.CLOSED || state == State.CORRUPT || !bytes.isReadable()) {
            bytes.release();
            return;
        }
        cumulation = Cumulation.append(alloc, cumulation, bytes);
    }

    @Override
    public Frame poll() throws WebSocketProtocolException {
        for (;;) {
            switch (state) {
                case FRAME_TYPE -> {
                    if (!readable()) {
                        return needMore();
                    }
                    type = cumulation.readUnsignedByte();
                    consumed = 0;
                    length = 0;
                    state = type == TYPE_TEXT ? State.TEXT
                            : (type & 0x80) != 0 ? State.LENGTH : State.SKIP_TO_SENTINEL;
                }
                case TEXT -> {
                    return textPiece();
                }
                case LENGTH -> {
                    if (!readable()) {
                        return needMore();
                    }
                    Frame close = readLengthByte(cumulation.readUnsignedByte());
                    if (close != null) {
                        return close;
                    }
                }
                case SKIP_LENGTH -> {
                    if (!skip((int) Math.min(length - consumed, available()))) {
                        return needMore();
                    }
                }
                case SKIP_TO_SENTINEL -> {
                    if (!skipToSentinel()) {
                        return needMore();
                    }
                }
                default -> {
                    return null;
                }
            }
        }
    }

    private Frame textPiece() throws WebSocketProtocolException {
        int available = available();
        int end = available == 0 ? -1
                : cumulation.indexOf(cumulation.readerIndex(), cumulation.writerIndex(), SENTINEL);
        int size = end >= 0 ? end - cumulation.readerIndex() : available;
        boolean last = end >= 0;
        if (size == 0 && !last) {
            return needMore();
        }
        if (consumed + size > maxMessageSize) {
            // What still fits goes out first, so that the same bytes fail the same way however they were split
            // (invalid UTF-8 within the limit is 1007 whether or not the byte past it came in the same read).
            if (consumed >= maxMessageSize) {
                throw fail(CLOSE_MESSAGE_TOO_BIG, "text frame exceeds the limit of " + maxMessageSize + " bytes");
            }
            size = (int) (maxMessageSize - consumed);
            last = false;
        }
        boolean first = consumed == 0;
        ByteBuf piece = size == 0 ? Unpooled.EMPTY_BUFFER : cumulation.readRetainedSlice(size);
        consumed += size;
        if (last) {
            cumulation.skipBytes(1);
            state = State.FRAME_TYPE;
        }
        dropConsumedInput();
        return new Frame(OPCODE_TEXT, true, false, Frame.UNKNOWN_LENGTH, first, last, piece);
    }

    private Frame readLengthByte(int b) throws WebSocketProtocolException {
        int group = b & 0x7f;
        // Checked before it is computed: with a limit near Long.MAX_VALUE the next length could overflow.
        if (length > (Long.MAX_VALUE - group) / 128 || length * 128 + group > maxMessageSize) {
            throw fail(CLOSE_MESSAGE_TOO_BIG, "frame length exceeds the limit of " + maxMessageSize + " bytes");
        }
        length = length * 128 + group;
        if ((b & 0x80) != 0) {
            return null;
        }
        if (type == TYPE_CLOSE && length == 0) {
            state = State.CLOSED;
            release();
            return new Frame(OPCODE_CLOSE, true, false, 0, true, true, Unpooled.EMPTY_BUFFER);
        }
        state = State.SKIP_LENGTH;
        return null;
    }

    private boolean skip(int size) {
        if (size > 0) {
            cumulation.skipBytes(size);
            consumed += size;
            dropConsumedInput();
        }
        if (consumed == length) {
            state = State.FRAME_TYPE;
            return true;
        }
        return false;
    }

    private boolean skipToSentinel() {
        if (!readable()) {
            return false;
        }
        int end = cumulation.indexOf(cumulation.readerIndex(), cumulation.writerIndex(), SENTINEL);
        if (end < 0) {
            cumulation.skipBytes(cumulation.readableBytes());
            dropConsumedInput();
            return false;
        }
        cumulation.readerIndex(end + 1);
        dropConsumedInput();
        state = State.FRAME_TYPE;
        return true;
    }

    /** Waits for more bytes, holding none that were already read. */
    private Frame needMore() {
        dropConsumedInput();
        return null;
    }

    private boolean readable() {
        return available() > 0;
    }

    private int available() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    private void dropConsumedInput() {
        if (cumulation != null && !cumulation.isReadable()) {
            cumulation.release();
            cumulation = null;
        }
    }

    private WebSocketProtocolException fail(int closeCode, String message) {
        state = State.CORRUPT;
        release();
        return new WebSocketProtocolException(closeCode, message);
    }

    @Override
    public int buffered() {
        return available();
    }

    @Override
    public boolean closed() {
        return state == State.CLOSED;
    }

    @Override
    public void release() {
        ByteBuf cum = cumulation;
        cumulation = null;
        if (cum != null) {
            cum.release();
        }
        if (state != State.CLOSED) {
            state = State.CORRUPT;
        }
    }
}
