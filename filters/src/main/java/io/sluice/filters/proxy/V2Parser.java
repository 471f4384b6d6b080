package io.sluice.filters.proxy;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Version 2: the 12-byte signature, version and command, family and transport, a 16-bit length, then that many bytes
 * of addresses and TLVs. Each rule of the specification's section 2.2 is one guard; a field with a value the
 * specification does not assign is refused as soon as its byte arrives, and a length beyond the limit before any of
 * its bytes is waited for.
 */
final class V2Parser {

    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int FIXED_LENGTH = 16;
    static final int UNIX_ADDRESS_LENGTH = 108;

    private V2Parser() {
    }

    /**
     * The header at the reader index of {@code buf} (which starts with the signature), or null while it is
     * incomplete. Consumes nothing.
     *
     * @param maxLength the longest header accepted, its 16 fixed bytes included
     */
    static ParsedHeader parse(ByteBuf buf, int maxLength) throws ProxyProtocolException {
        int start = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable > 12) {
            int versionCommand = buf.getUnsignedByte(start + 12);
            if (versionCommand >>> 4 != 2) {
                throw new ProxyProtocolException("v2 header: version " + (versionCommand >>> 4) + ", expected 2");
            }
            if ((versionCommand & 0x0F) > 1) {
                throw new ProxyProtocolException("v2 header: unassigned command " + (versionCommand & 0x0F));
            }
        }
        if (readable > 13) {
            int familyTransport = buf.getUnsignedByte(start + 13);
            if (familyTransport >>> 4 > 3 || (familyTransport & 0x0F) > 2) {
                throw new ProxyProtocolException(String.format(
                        "v2 header: unassigned address family and transport 0x%02x", familyTransport));
            }
        }
        if (readable < FIXED_LENGTH) {
            return null;
        }
        int total = FIXED_LENGTH + buf.getUnsignedShort(start + 14);
        if (total > maxLength) {
            throw new ProxyProtocolException("v2 header of " + total + " bytes exceeds the limit of " + maxLength);
        }
        if (readable < total) {
            return null;
        }
        byte[] header = new byte[total];
        buf.getBytes(start, header);
        return new ParsedHeader(decode(header), total);
    }

    private static ProxyHeader decode(byte[] h) throws ProxyProtocolException {
        ProxyHeader.Command command = (h[12] & 0x0F) == 0 ? ProxyHeader.Command.LOCAL : ProxyHeader.Command.PROXY;
        ProxyHeader.Family family = ProxyHeader.Family.values()[(h[13] & 0xF0) >>> 4];
        ProxyHeader.Transport transport = ProxyHeader.Transport.values()[h[13] & 0x0F];
        int addressLength = switch (family) {
            case UNSPEC -> 0;
            case INET -> 12;
            case INET6 -> 36;
            case UNIX -> 2 * UNIX_ADDRESS_LENGTH;
        };
        boolean unspecified = family == ProxyHeader.Family.UNSPEC || transport == ProxyHeader.Transport.UNSPEC;
        List<ProxyTlv> tlvs;
        if (unspecified && family != ProxyHeader.Family.UNSPEC) {
            // A family without a transport: where its address block ends is not defined, so what follows the fixed
            // part is skipped whole, as the length field allows.
            tlvs = List.of();
        } else {
            if (FIXED_LENGTH + addressLength > h.length) {
                throw new ProxyProtocolException("v2 header: " + (h.length - FIXED_LENGTH) + " bytes after the fixed"
                        + " part, fewer than the " + addressLength + " of a " + family + " address block");
            }
            tlvs = Tlvs.read(h, FIXED_LENGTH + addressLength, h.length, "v2 header");
            check(tlvs, h);
        }
        if (command == ProxyHeader.Command.LOCAL || unspecified) {
            return new ProxyHeader(ProxyVersion.V2, command, family, transport, null, null, null, null, tlvs);
        }
        int at = FIXED_LENGTH;
        if (family == ProxyHeader.Family.UNIX) {
            return new ProxyHeader(ProxyVersion.V2, command, family, transport, null, null,
                    unixPath(h, at), unixPath(h, at + UNIX_ADDRESS_LENGTH), tlvs);
        }
        int size = family == ProxyHeader.Family.INET ? 4 : 16;
        InetAddress source = address(h, at, size);
        InetAddress destination = address(h, at + size, size);
        int ports = at + 2 * size;
        int sourcePort = (h[ports] & 0xFF) << 8 | h[ports + 1] & 0xFF;
        int destinationPort = (h[ports + 2] & 0xFF) << 8 | h[ports + 3] & 0xFF;
        return new ProxyHeader(ProxyVersion.V2, command, family, transport,
                new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort),
                null, null, tlvs);
    }

    /** The registered TLVs must hold what the specification says they hold; a CRC32C must match. */
    private static void check(List<ProxyTlv> tlvs, byte[] header) throws ProxyProtocolException {
        int offset = FIXED_LENGTH;
        int at = -1;
        for (ProxyTlv t : tlvs) {
            byte[] v = t.valueUnsafe();
            switch (t.type()) {
                case ProxyTlv.AUTHORITY -> Tlvs.text(v, false, "authority TLV");
                case ProxyTlv.UNIQUE_ID -> {
                    if (v.length > 128) {
                        throw new ProxyProtocolException("v2 header: unique id TLV of " + v.length
                                + " bytes, more than 128");
                    }
                }
                case ProxyTlv.SSL -> SslTlv.decode(v);
                case ProxyTlv.NETNS -> Tlvs.text(v, true, "netns TLV");
                case ProxyTlv.CRC32C -> {
                    if (v.length != 4) {
                        throw new ProxyProtocolException("v2 header: CRC32C TLV of " + v.length + " bytes, not 4");
                    }
                    at = indexOfValue(header, tlvs, t);
                }
                default -> {
                    // ALPN is any byte sequence; NOOP and unregistered types are kept as they are
                }
            }
        }
        if (at >= 0) {
            verifyCrc(header, at);
        }
    }

    /** Where the value of {@code tlv} (one of {@code tlvs}, in order) starts in the header. */
    private static int indexOfValue(byte[] header, List<ProxyTlv> tlvs, ProxyTlv tlv) {
        int blockEnd = header.length - tlvs.stream().mapToInt(t -> 3 + t.length()).sum();
        int at = blockEnd;
        for (ProxyTlv t : tlvs) {
            if (t == tlv) {
                return at + 3;
            }
            at += 3 + t.length();
        }
        throw new IllegalStateException("tlv not in list");
    }

    private static void verifyCrc(byte[] header, int at) throws ProxyProtocolException {
        long announced = (header[at] & 0xFFL) << 24 | (header[at + 1] & 0xFFL) << 16 | (header[at + 2] & 0xFFL) << 8
                | header[at + 3] & 0xFFL;
        byte[] zeroed = header.clone();
        zeroed[at] = 0;
        zeroed[at + 1] = 0;
        zeroed[at + 2] = 0;
        zeroed[at + 3] = 0;
        long computed = crc32c(zeroed);
        if (computed != announced) {
            throw new ProxyProtocolException(String.format(
                    "v2 header: CRC32C mismatch, header says %08x, computed %08x", announced, computed));
        }
    }

    static long crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    private static InetAddress address(byte[] h, int at, int size) {
        byte[] bytes = new byte[size];
        System.arraycopy(h, at, bytes, 0, size);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes", e);
        }
    }

    /**
     * A {@code sun_path}: the bytes up to the first NUL; a Linux abstract address (a leading NUL) as {@code @} and
     * its name, as {@code ss} shows it.
     */
    private static String unixPath(byte[] h, int at) {
        boolean abstractName = h[at] == 0;
        int from = abstractName ? at + 1 : at;
        int end = from;
        while (end < at + UNIX_ADDRESS_LENGTH && h[end] != 0) {
            end++;
        }
        String name = new String(h, from, end - from, StandardCharsets.UTF_8);
        return abstractName && !name.isEmpty() ? "@" + name : name;
    }
}
