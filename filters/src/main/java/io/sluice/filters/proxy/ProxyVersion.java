package io.sluice.filters.proxy;

/** The two versions of the PROXY protocol: a text line (version 1) or a binary block (version 2). */
public enum ProxyVersion {
    /** {@code PROXY TCP4 ... \r\n}: one US-ASCII line of at most 107 bytes. */
    V1,
    /** The 12-byte signature, then a binary block of addresses and TLVs. */
    V2
}
