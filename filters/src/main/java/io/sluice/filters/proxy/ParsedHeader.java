package io.sluice.filters.proxy;

/**
 * What the first bytes of a connection turned out to be: a header of {@code length} bytes, or (when a header is not
 * required) {@link #ABSENT}, no header at all.
 */
record ParsedHeader(ProxyHeader header, int length) {

    static final ParsedHeader ABSENT = new ParsedHeader(null, 0);

    boolean absent() {
        return header == null;
    }
}
