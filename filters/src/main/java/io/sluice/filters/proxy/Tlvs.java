package io.sluice.filters.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes a sequence of TLVs ({@code type, length_hi, length_lo, value}), top-level or SSL sub-TLVs. */
final class Tlvs {

    private Tlvs() {
    }

    /** The TLVs filling {@code bytes[from, to)} exactly; one that runs past {@code to} is invalid. */
    static List<ProxyTlv> read(byte[] bytes, int from, int to, String what) throws ProxyProtocolException {
        List<ProxyTlv> tlvs = new ArrayList<>();
        int at = from;
        while (at < to) {
            if (to - at < 3) {
                throw new ProxyProtocolException(what + ": " + (to - at) + " byte(s) left after the last TLV, less"
                        + " than a TLV header");
            }
            int type = bytes[at] & 0xFF;
            int length = (bytes[at + 1] & 0xFF) << 8 | bytes[at + 2] & 0xFF;
            if (length > to - at - 3) {
                throw new ProxyProtocolException(String.format("%s: TLV 0x%02x announces %d bytes, %d left",
                        what, type, length, to - at - 3));
            }
            byte[] value = new byte[length];
            System.arraycopy(bytes, at + 3, value, 0, length);
            tlvs.add(new ProxyTlv(type, value));
            at += 3 + length;
        }
        return tlvs;
    }

    static void write(List<ProxyTlv> tlvs, ByteArrayOutputStream out) {
        for (ProxyTlv t : tlvs) {
            out.write(t.type());
            out.write(t.length() >>> 8);
            out.write(t.length());
            out.writeBytes(t.valueUnsafe());
        }
    }

    /** {@code value} as strict UTF-8 (or US-ASCII), or an invalid header naming {@code what}. */
    static String text(byte[] value, boolean ascii, String what) throws ProxyProtocolException {
        try {
            return (ascii ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProxyProtocolException(what + " is not valid " + (ascii ? "US-ASCII" : "UTF-8"));
        }
    }
}
