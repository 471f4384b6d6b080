package io.sluice.spring.boot.autoconfigure;

/** The framings {@code sluice.servers.<name>.framing.type} names. */
public enum FramingType {
    /** The handler sees the byte stream as it arrives. */
    NONE,
    /** Delimited lines: {@link io.sluice.filters.framing.LineFraming}. */
    LINE,
    /** A big-endian length prefix: {@link io.sluice.filters.framing.LengthFieldFraming}. */
    LENGTH_FIELD
}
