package io.sluice.filters.framing;

import io.sluice.api.Connection;
import io.sluice.api.Filter;
import java.nio.charset.StandardCharsets;

/**
 * A filter that frames messages as delimited lines.
 *
 * <p>By default lines end with {@code \n}; inbound, a {@code \r} just before it is stripped too, so both {@code \n}
 * and {@code \r\n} peers are understood; outbound, {@code \n} is appended. With {@link Builder#delimiter(String)}
 * the given sequence is used both ways, matched exactly.
 *
 * <p>The upper connection's {@code receive()} emits one buffer per line without its delimiter; the subscriber owns
 * each. When the peer closes after an unterminated last line, that line is emitted too, as {@code BufferedReader}
 * does, so no data the peer sent is silently lost. A line longer than {@link #maxLineLength()} is bad input: it is
 * logged once with the connection id, the lower connection is closed, everything held is released, and
 * {@code receive()} errors with a {@link FrameTooLongException}, raised as soon as the excess is seen.
 *
 * <p>Its {@code send(data)} takes ownership of every buffer {@code data} emits and writes it followed by the
 * delimiter (a small buffer from the connection's budget), uncopied, as one composite buffer. A buffer that is too
 * long, contains the delimiter, or (in newline mode) ends with {@code \r} would not arrive as the same line: it is
 * released and fails that send with an {@link IllegalArgumentException}.
 */
public final class LineFraming implements Filter {

    /** Default limit: 8 KiB per line, delimiter excluded. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 8 * 1024;

    private final Delimiter delimiter;
    private final boolean newlineMode;
    private final int maxLineLength;

    private LineFraming(Builder b) {
        if (b.maxLineLength < 0) {
            throw new IllegalArgumentException("max line length must be >= 0, got " + b.maxLineLength);
        }
        if (b.delimiter != null && b.delimiter.length == 0) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        this.newlineMode = b.delimiter == null;
        this.delimiter = new Delimiter(newlineMode ? new byte[] {'\n'} : b.delimiter);
        this.maxLineLength = b.maxLineLength;
    }

    /** {@code \n} or {@code \r\n} inbound, {@code \n} outbound, 8 KiB lines. */
    public static LineFraming defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxLineLength() {
        return maxLineLength;
    }

    @Override
    public Connection apply(Connection lower) {
        return new LineConnection(lower, delimiter, newlineMode, maxLineLength);
    }

    @Override
    public String toString() {
        return "LineFraming[" + (newlineMode ? "newline" : "custom delimiter") + ", max " + maxLineLength + "]";
    }

    /** Settings of a {@link LineFraming}; checked by {@link #build()}. */
    public static final class Builder {
        private byte[] delimiter;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;

        private Builder() {
        }

        /** Use exactly this delimiter (UTF-8 encoded) both ways instead of newlines. */
        public Builder delimiter(String delimiter) {
            this.delimiter = delimiter.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Longest line accepted inbound and outbound, delimiter excluded; default 8 KiB. */
        public Builder maxLineLength(int maxLineLength) {
            this.maxLineLength = maxLineLength;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public LineFraming build() {
            return new LineFraming(this);
        }
    }
}
