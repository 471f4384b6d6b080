package io.sluice.filters.proxy;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One type-length-value vector of a version 2 header, as received or to be sent: an immutable copy of its value (no
 * buffer of the connection escapes). The registered types are the {@code PP2_TYPE_*} constants here; 0xE0-0xEF are
 * free for applications (AWS, for instance, sends its VPC endpoint id as 0xEA).
 */
public final class ProxyTlv {

    public static final int ALPN = 0x01;
    public static final int AUTHORITY = 0x02;
    public static final int CRC32C = 0x03;
    public static final int NOOP = 0x04;
    public static final int UNIQUE_ID = 0x05;
    public static final int SSL = 0x20;
    public static final int NETNS = 0x30;

    private final int type;
    private final byte[] value;

    /**
     * @param type 0 to 255
     * @param value copied; at most 65535 bytes
     */
    public ProxyTlv(int type, byte[] value) {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("TLV type must be 0-255, got " + type);
        }
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("TLV value must be at most 65535 bytes, got " + value.length);
        }
        this.type = type;
        this.value = value.clone();
    }

    public int type() {
        return type;
    }

    /** A copy of the value. */
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    byte[] valueUnsafe() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyTlv t && t.type == type && Arrays.equals(t.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("TLV[0x%02x, %s]", type, HexFormat.of().formatHex(value));
    }
}
