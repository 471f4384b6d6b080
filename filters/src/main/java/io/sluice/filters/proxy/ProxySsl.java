package io.sluice.filters.proxy;

import java.util.List;

/**
 * The {@code PP2_TYPE_SSL} TLV of a version 2 header: what the proxy knows of the client's TLS connection. Strings
 * are null when their sub-TLV is absent; {@code subTlvs} holds every sub-TLV as received, the known ones included.
 *
 * @param client the {@code PP2_CLIENT_*} bit field
 * @param verify 0 when the client presented a certificate and it was verified, non-zero otherwise (an unsigned
 *     32-bit value)
 * @param version {@code PP2_SUBTYPE_SSL_VERSION}, such as {@code TLSv1.3}
 * @param commonName {@code PP2_SUBTYPE_SSL_CN}, the client certificate's subject CN
 * @param cipher {@code PP2_SUBTYPE_SSL_CIPHER}, such as {@code ECDHE-RSA-AES128-GCM-SHA256}
 * @param signatureAlgorithm {@code PP2_SUBTYPE_SSL_SIG_ALG}, of the proxy's own certificate
 * @param keyAlgorithm {@code PP2_SUBTYPE_SSL_KEY_ALG}, of the proxy's own certificate
 */
public record ProxySsl(int client, long verify, String version, String commonName, String cipher,
        String signatureAlgorithm, String keyAlgorithm, List<ProxyTlv> subTlvs) {

    public static final int CLIENT_SSL = 0x01;
    public static final int CLIENT_CERT_CONN = 0x02;
    public static final int CLIENT_CERT_SESS = 0x04;

    public static final int SUBTYPE_VERSION = 0x21;
    public static final int SUBTYPE_CN = 0x22;
    public static final int SUBTYPE_CIPHER = 0x23;
    public static final int SUBTYPE_SIG_ALG = 0x24;
    public static final int SUBTYPE_KEY_ALG = 0x25;

    public ProxySsl {
        subTlvs = List.copyOf(subTlvs);
    }

    /** The client connected over SSL/TLS. */
    public boolean overTls() {
        return (client & CLIENT_SSL) != 0;
    }

    /** The client presented a certificate on this connection. */
    public boolean certificateOnConnection() {
        return (client & CLIENT_CERT_CONN) != 0;
    }

    /** The client presented a certificate at least once in this TLS session. */
    public boolean certificateInSession() {
        return (client & CLIENT_CERT_SESS) != 0;
    }

    /** The client presented a certificate and it was verified ({@code verify} is 0). */
    public boolean verified() {
        return verify == 0;
    }
}
