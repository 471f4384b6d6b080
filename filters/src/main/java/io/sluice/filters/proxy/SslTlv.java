package io.sluice.filters.proxy;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** The value of a {@code PP2_TYPE_SSL} TLV: {@code client} (1 byte), {@code verify} (4 bytes), then sub-TLVs. */
final class SslTlv {

    private SslTlv() {
    }

    static ProxySsl decode(byte[] value) throws ProxyProtocolException {
        if (value.length < 5) {
            throw new ProxyProtocolException("SSL TLV of " + value.length + " bytes, shorter than its 5 fixed bytes");
        }
        int client = value[0] & 0xFF;
        long verify = (value[1] & 0xFFL) << 24 | (value[2] & 0xFFL) << 16 | (value[3] & 0xFFL) << 8 | value[4] & 0xFFL;
        List<ProxyTlv> subs = Tlvs.read(value, 5, value.length, "SSL TLV");
        String version = null;
        String cn = null;
        String cipher = null;
        String sigAlg = null;
        String keyAlg = null;
        for (ProxyTlv sub : subs) {
            byte[] v = sub.valueUnsafe();
            switch (sub.type()) {
                case ProxySsl.SUBTYPE_VERSION -> version = Tlvs.text(v, true, "SSL version sub-TLV");
                case ProxySsl.SUBTYPE_CN -> cn = Tlvs.text(v, false, "SSL CN sub-TLV");
                case ProxySsl.SUBTYPE_CIPHER -> cipher = Tlvs.text(v, true, "SSL cipher sub-TLV");
                case ProxySsl.SUBTYPE_SIG_ALG -> sigAlg = Tlvs.text(v, true, "SSL signature algorithm sub-TLV");
                case ProxySsl.SUBTYPE_KEY_ALG -> keyAlg = Tlvs.text(v, true, "SSL key algorithm sub-TLV");
                default -> {
                    // other sub-TLVs (newer HAProxy versions send more) stay in subTlvs as received
                }
            }
        }
        return new ProxySsl(client, verify, version, cn, cipher, sigAlg, keyAlg, subs);
    }

    /** The TLV carrying {@code ssl}: its fixed fields, then its {@code subTlvs} as given. */
    static ProxyTlv encode(ProxySsl ssl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ssl.client());
        long v = ssl.verify();
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
        Tlvs.write(ssl.subTlvs(), out);
        return new ProxyTlv(ProxyTlv.SSL, out.toByteArray());
    }
}
