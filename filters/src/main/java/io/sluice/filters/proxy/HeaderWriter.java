package io.sluice.filters.proxy;

import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a header as a sender must: version 1's line in canonical form, or version 2's block (with a CRC32C over the
 * whole header when asked). Addresses of two families are both written as IPv6, the IPv4 one mapped
 * ({@code ::ffff:a.b.c.d}), as HAProxy does; without addresses, version 1 sends {@code UNKNOWN} and version 2 an
 * unspecified family.
 */
final class HeaderWriter {

    private HeaderWriter() {
    }

    /**
     * @param source null (with {@code destination}) when the addresses are unknown
     * @param local version 2's LOCAL command: addresses are not sent
     */
    static byte[] write(ProxyVersion version, boolean local, InetSocketAddress source, InetSocketAddress destination,
            List<ProxyTlv> tlvs, boolean crc32c) {
        boolean known = !local && source != null && destination != null && !source.isUnresolved()
                && !destination.isUnresolved();
        boolean v6 = known && (source.getAddress() instanceof Inet6Address
                || destination.getAddress() instanceof Inet6Address);
        return version == ProxyVersion.V1
                ? v1(known, v6, source, destination)
                : v2(local, known, v6, source, destination, tlvs, crc32c);
    }

    private static byte[] v1(boolean known, boolean v6, InetSocketAddress source, InetSocketAddress destination) {
        if (!known) {
            return "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        String line = "PROXY " + (v6 ? "TCP6 " : "TCP4 ") + text(source.getAddress(), v6) + " "
                + text(destination.getAddress(), v6) + " " + source.getPort() + " " + destination.getPort() + "\r\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(InetAddress address, boolean v6) {
        if (!v6) {
            return address.getHostAddress();
        }
        try {
            // compressed form (RFC 5952), no scope; an IPv4 address mapped into IPv6
            return NetUtil.toAddressString(Inet6Address.getByAddress(null, bytes(address, true), -1));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes", e);
        }
    }

    private static byte[] v2(boolean local, boolean known, boolean v6, InetSocketAddress source,
            InetSocketAddress destination, List<ProxyTlv> tlvs, boolean crc32c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(V2Parser.SIGNATURE);
        out.write(local ? 0x20 : 0x21);
        out.write(!known ? 0x00 : v6 ? 0x21 : 0x11);
        out.write(0); // length, set below
        out.write(0);
        if (known) {
            out.writeBytes(bytes(source.getAddress(), v6));
            out.writeBytes(bytes(destination.getAddress(), v6));
            out.write(source.getPort() >>> 8);
            out.write(source.getPort());
            out.write(destination.getPort() >>> 8);
            out.write(destination.getPort());
        }
        List<ProxyTlv> all = new ArrayList<>(tlvs);
        if (crc32c) {
            all.add(new ProxyTlv(ProxyTlv.CRC32C, new byte[4]));
        }
        Tlvs.write(all, out);
        byte[] header = out.toByteArray();
        int length = header.length - V2Parser.FIXED_LENGTH;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("v2 header of " + header.length + " bytes: its TLVs are too long");
        }
        header[14] = (byte) (length >>> 8);
        header[15] = (byte) length;
        if (crc32c) {
            long crc = V2Parser.crc32c(header);
            int at = header.length - 4;
            header[at] = (byte) (crc >>> 24);
            header[at + 1] = (byte) (crc >>> 16);
            header[at + 2] = (byte) (crc >>> 8);
            header[at + 3] = (byte) crc;
        }
        return header;
    }

    /** The address in 4 bytes, or in 16 when {@code v6} (an IPv4 address then mapped). */
    private static byte[] bytes(InetAddress address, boolean v6) {
        byte[] raw = address.getAddress();
        if (!v6 || raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }
}
