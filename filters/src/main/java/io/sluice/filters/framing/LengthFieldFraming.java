package io.sluice.filters.framing;

import io.sluice.api.Connection;
import io.sluice.api.Filter;

/**
 * A filter that frames messages with a big-endian unsigned length prefix of 1, 2 or 4 bytes.
 *
 * <p>The upper connection's {@code receive()} emits one buffer per frame, holding the payload only; the subscriber
 * owns each. Its {@code send(data)} takes ownership of every buffer {@code data} emits and writes each as one frame:
 * a header allocated from the connection's budget followed by the payload itself, uncopied, handed to the lower
 * connection as one composite buffer. A buffer longer than {@link #maxFrameLength()} is released and fails that
 * send with an {@link IllegalArgumentException}.
 *
 * <p>Inbound, a length above the limit (or, for a 4-byte field, above {@link Integer#MAX_VALUE}) is bad input: it
 * is logged once with the connection id, the lower connection is closed, everything held is released, and
 * {@code receive()} errors with a {@link FrameTooLongException}. A stream that ends inside a frame errors with a
 * {@link TruncatedFrameException} the same way.
 */
public final class LengthFieldFraming implements Filter {

    /** Default limit: 1 MiB, or the largest length the field can express if that is smaller. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 1024 * 1024;

    private final int lengthFieldBytes;
    private final int maxFrameLength;

    private LengthFieldFraming(Builder b) {
        if (b.lengthFieldBytes != 1 && b.lengthFieldBytes != 2 && b.lengthFieldBytes != 4) {
            throw new IllegalArgumentException(
                    "length field must be 1, 2 or 4 bytes, got " + b.lengthFieldBytes);
        }
        long fieldMax = largestLength(b.lengthFieldBytes);
        int max = b.maxFrameLength != null ? b.maxFrameLength : (int) Math.min(DEFAULT_MAX_FRAME_LENGTH, fieldMax);
        if (max < 0) {
            throw new IllegalArgumentException("max frame length must be >= 0, got " + max);
        }
        if (max > fieldMax) {
            throw new IllegalArgumentException("max frame length " + max + " does not fit a "
                    + b.lengthFieldBytes + "-byte length field (at most " + fieldMax + ")");
        }
        this.lengthFieldBytes = b.lengthFieldBytes;
        this.maxFrameLength = max;
    }

    /** A 4-byte length field and a 1 MiB limit. */
    public static LengthFieldFraming defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int lengthFieldBytes() {
        return lengthFieldBytes;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    public Connection apply(Connection lower) {
        return new LengthFieldConnection(lower, lengthFieldBytes, maxFrameLength);
    }

    private static long largestLength(int fieldBytes) {
        return fieldBytes == 4 ? Integer.MAX_VALUE : (1L << (8 * fieldBytes)) - 1;
    }

    @Override
    public String toString() {
        return "LengthFieldFraming[" + lengthFieldBytes + "-byte field, max " + maxFrameLength + "]";
    }

    /** Settings of a {@link LengthFieldFraming}; checked together by {@link #build()}. */
    public static final class Builder {
        private int lengthFieldBytes = 4;
        private Integer maxFrameLength;

        private Builder() {
        }

        /** Width of the length prefix: 1, 2 or 4 bytes (default 4). */
        public Builder lengthFieldBytes(int lengthFieldBytes) {
            this.lengthFieldBytes = lengthFieldBytes;
            return this;
        }

        /**
         * Largest payload accepted inbound and outbound. Defaults to {@link #DEFAULT_MAX_FRAME_LENGTH} or the
         * field's largest value, whichever is smaller; must fit the field.
         */
        public Builder maxFrameLength(int maxFrameLength) {
            this.maxFrameLength = maxFrameLength;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public LengthFieldFraming build() {
            return new LengthFieldFraming(this);
        }
    }
}
