package io.sluice.filters.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Tells from a connection's first bytes which header they start with, as the specification's section 2.2 says (the
 * v2 signature, else {@code PROXY}), and hands them to that version's parser. A connection that starts with neither
 * is refused, or, where a header is not required, passed on as it is; it is decided at the first byte that differs
 * from both signatures.
 */
final class HeaderParser {

    private static final byte[] V1_SIGNATURE = "PROXY".getBytes(StandardCharsets.US_ASCII);

    private final Set<ProxyVersion> versions;
    private final boolean required;
    private final boolean trusted;
    private final int maxV2Length;

    /**
     * @param trusted whether the transport's peer may send a header at all; an untrusted one that does is refused
     */
    HeaderParser(Set<ProxyVersion> versions, boolean required, boolean trusted, int maxV2Length) {
        this.versions = versions;
        this.required = required;
        this.trusted = trusted;
        this.maxV2Length = maxV2Length;
    }

    /**
     * What the readable bytes of {@code buf} start with: a header and its length, {@link ParsedHeader#ABSENT}, or
     * null until more bytes decide it. Consumes nothing.
     *
     * @throws ProxyProtocolException when they can only be refused
     */
    ParsedHeader parse(ByteBuf buf) throws ProxyProtocolException {
        ProxyVersion version = detect(buf);
        if (version == null) {
            return matchesPrefix(buf, V1_SIGNATURE) || matchesPrefix(buf, V2Parser.SIGNATURE) ? null : absent(buf);
        }
        if (!trusted) {
            throw new ProxyProtocolException("a PROXY protocol header from an untrusted source");
        }
        if (!versions.contains(version)) {
            throw new ProxyProtocolException("a " + version.name().toLowerCase(java.util.Locale.ROOT)
                    + " header, but only " + versions + " accepted");
        }
        return version == ProxyVersion.V2 ? V2Parser.parse(buf, maxV2Length) : V1Parser.parse(buf);
    }

    /** The signature the bytes start with in full, or null. */
    private static ProxyVersion detect(ByteBuf buf) {
        if (buf.readableBytes() >= V2Parser.SIGNATURE.length && matchesPrefix(buf, V2Parser.SIGNATURE)) {
            return ProxyVersion.V2;
        }
        if (buf.readableBytes() >= V1_SIGNATURE.length && matchesPrefix(buf, V1_SIGNATURE)) {
            return ProxyVersion.V1;
        }
        return null;
    }

    /** Whether the readable bytes (as many as there are, up to its length) match the start of {@code signature}. */
    private static boolean matchesPrefix(ByteBuf buf, byte[] signature) {
        int n = Math.min(buf.readableBytes(), signature.length);
        for (int i = 0; i < n; i++) {
            if (buf.getByte(buf.readerIndex() + i) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /** How many of the first bytes match {@code signature}. */
    private static int matchingBytes(ByteBuf buf, byte[] signature) {
        int n = Math.min(buf.readableBytes(), signature.length);
        int i = 0;
        while (i < n && buf.getByte(buf.readerIndex() + i) == signature[i]) {
            i++;
        }
        return i;
    }

    private ParsedHeader absent(ByteBuf buf) throws ProxyProtocolException {
        if (required) {
            int at = Math.max(matchingBytes(buf, V1_SIGNATURE), matchingBytes(buf, V2Parser.SIGNATURE));
            throw new ProxyProtocolException(String.format("no PROXY protocol header: byte %d is 0x%02x, in neither"
                    + " signature", at, buf.getUnsignedByte(buf.readerIndex() + at)));
        }
        return ParsedHeader.ABSENT;
    }

    boolean required() {
        return required;
    }

    /** The refusal of every connection, known before any byte: a header is required from an untrusted source. */
    ProxyProtocolException refusedAtOnce() {
        return required && !trusted
                ? new ProxyProtocolException("a PROXY protocol header is required, but the source is not trusted")
                : null;
    }

    /** Whether {@code buf} (null: nothing received) starts with a whole v1 or v2 signature. */
    boolean signatureSeen(ByteBuf buf) {
        return buf != null && detect(buf) != null;
    }

    /** The most bytes a header may take under these settings: more than that held undecided is refused. */
    int maxLength() {
        return Math.max(versions.contains(ProxyVersion.V2) ? maxV2Length : 0, V1Parser.MAX_LENGTH);
    }
}
