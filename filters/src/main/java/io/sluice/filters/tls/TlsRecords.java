package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;

/**
 * The five-byte TLS record header (RFC 8446 section 5.1, RFC 5246 section 6.2): content type, protocol version,
 * length. The driver reads it only to hand the engine whole records and to spot a renegotiation attempt; judging
 * the bytes is the engine's job.
 */
final class TlsRecords {

    static final int HEADER_LENGTH = 5;
    /** The lowest content type: change_cipher_spec. */
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int HANDSHAKE = 22;
    /** The highest content type a TLS 1.2 or 1.3 peer sends: heartbeat (alert 21, application data 23 between). */
    static final int HEARTBEAT = 24;

    /** Fewer bytes than needed to tell the record's length. */
    static final int INCOMPLETE = -1;
    /** The bytes do not start like a TLS record (plaintext HTTP, garbage, an SSLv2 hello): the engine decides. */
    static final int NOT_TLS = -2;

    private TlsRecords() {
    }

    /**
     * The length, header included, of the record at {@code buf}'s reader index; {@link #INCOMPLETE} when more bytes
     * are needed to tell; {@link #NOT_TLS} when the first bytes cannot start a TLS record.
     */
    static int recordLength(ByteBuf buf, int index, int readable) {
        if (readable < 1) {
            return INCOMPLETE;
        }
        int type = buf.getUnsignedByte(index);
        if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT) {
            return NOT_TLS;
        }
        if (readable < 2) {
            return INCOMPLETE;
        }
        if (buf.getUnsignedByte(index + 1) != 3) { // major version of SSL 3.0 and every TLS
            return NOT_TLS;
        }
        if (readable < HEADER_LENGTH) {
            return INCOMPLETE;
        }
        return HEADER_LENGTH + buf.getUnsignedShort(index + 3);
    }

    static int contentType(ByteBuf buf) {
        return buf.getUnsignedByte(buf.readerIndex());
    }
}
