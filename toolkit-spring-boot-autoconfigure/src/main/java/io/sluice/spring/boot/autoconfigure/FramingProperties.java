package io.sluice.spring.boot.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * Message framing, under {@code sluice.servers.<name>.framing}: {@code line} ({@link
 * io.sluice.filters.framing.LineFraming}) or {@code length-field} ({@link
 * io.sluice.filters.framing.LengthFieldFraming}); the handler then receives and sends one buffer per message.
 */
public class FramingProperties {

    /** How messages are delimited on the stream: none, line or length-field. */
    private FramingType type = FramingType.NONE;

    /** Largest message accepted either way; 8KB for lines, 1MB for length fields when unset. */
    private DataSize maxFrameLength;

    /** Line framing only: the delimiter, used exactly both ways; unset accepts \n and \r\n and writes \n. */
    private String delimiter;

    /** Length-field framing only: bytes of the big-endian length prefix, 1, 2 or 4 (4 when unset). */
    private Integer lengthFieldBytes;

    public FramingType getType() {
        return type;
    }

    public void setType(FramingType type) {
        this.type = type;
    }

    public DataSize getMaxFrameLength() {
        return maxFrameLength;
    }

    public void setMaxFrameLength(DataSize maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    public String getDelimiter() {
        return delimiter;
    }

    public void setDelimiter(String delimiter) {
        this.delimiter = delimiter;
    }

    public Integer getLengthFieldBytes() {
        return lengthFieldBytes;
    }

    public void setLengthFieldBytes(Integer lengthFieldBytes) {
        this.lengthFieldBytes = lengthFieldBytes;
    }
}
