package io.sluice.filters.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Version 1: {@code PROXY TCP4|TCP6 src dst srcport dstport\r\n}, or {@code PROXY UNKNOWN} followed by anything up to
 * the CRLF; at most 107 bytes with the CRLF. Each rule of the specification's section 2.1 is one guard here; a line
 * that breaks one is invalid, and a lone CR or LF is refused as soon as it is seen.
 */
final class V1Parser {

    /** The longest line, CRLF included: {@code PROXY UNKNOWN} with two full IPv6 addresses and ports. */
    static final int MAX_LENGTH = 107;
    private static final String PREFIX = "PROXY ";

    private V1Parser() {
    }

    /**
     * The header at the reader index of {@code buf} (which starts with {@code PROXY}), or null while its CRLF has not
     * arrived. Consumes nothing.
     */
    static ParsedHeader parse(ByteBuf buf) throws ProxyProtocolException {
        int start = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable > 5 && buf.getByte(start + 5) != ' ') {
            throw new ProxyProtocolException("v1 header: no single space after PROXY");
        }
        int scan = Math.min(readable, MAX_LENGTH);
        for (int i = 0; i < scan; i++) {
            byte b = buf.getByte(start + i);
            if (b == '\n') {
                throw new ProxyProtocolException("v1 header: line feed without a carriage return at byte " + i);
            }
            if (b == '\r') {
                if (i + 1 >= MAX_LENGTH) {
                    throw tooLong();
                }
                if (i + 1 == readable) {
                    return null;
                }
                if (buf.getByte(start + i + 1) != '\n') {
                    throw new ProxyProtocolException("v1 header: carriage return not followed by a line feed at byte "
                            + i);
                }
                return new ParsedHeader(line(buf.toString(start, i, StandardCharsets.ISO_8859_1)), i + 2);
            }
        }
        if (readable >= MAX_LENGTH) {
            throw tooLong();
        }
        return null;
    }

    private static ProxyProtocolException tooLong() {
        return new ProxyProtocolException("v1 header: no CRLF within the first " + MAX_LENGTH + " bytes");
    }

    private static ProxyHeader line(String line) throws ProxyProtocolException {
        if (!line.startsWith(PREFIX)) {
            throw new ProxyProtocolException("v1 header: does not start with \"PROXY \"");
        }
        String rest = line.substring(PREFIX.length());
        if (rest.equals("UNKNOWN") || rest.startsWith("UNKNOWN ")) {
            return new ProxyHeader(ProxyVersion.V1, ProxyHeader.Command.PROXY, ProxyHeader.Family.UNSPEC,
                    ProxyHeader.Transport.UNSPEC, null, null, null, null, List.of());
        }
        String[] fields = rest.split(" ", -1);
        boolean v4;
        if (fields[0].equals("TCP4")) {
            v4 = true;
        } else if (fields[0].equals("TCP6")) {
            v4 = false;
        } else {
            throw new ProxyProtocolException("v1 header: unknown protocol \"" + printable(fields[0])
                    + "\" (TCP4, TCP6 or UNKNOWN)");
        }
        if (fields.length != 5) {
            throw new ProxyProtocolException("v1 header: " + fields.length + " fields after PROXY, expected 5"
                    + " (protocol, addresses, ports) separated by single spaces");
        }
        InetAddress source = address(fields[1], v4, "source");
        InetAddress destination = address(fields[2], v4, "destination");
        int sourcePort = port(fields[3], "source");
        int destinationPort = port(fields[4], "destination");
        return new ProxyHeader(ProxyVersion.V1, ProxyHeader.Command.PROXY,
                v4 ? ProxyHeader.Family.INET : ProxyHeader.Family.INET6, ProxyHeader.Transport.STREAM,
                new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort),
                null, null, List.of());
    }

    private static InetAddress address(String text, boolean v4, String which) throws ProxyProtocolException {
        byte[] bytes = v4 ? ipv4(text) : ipv6(text);
        if (bytes == null) {
            throw new ProxyProtocolException("v1 header: " + which + " address \"" + printable(text) + "\" is not an "
                    + (v4 ? "IPv4 address in dotted decimal without heading zeroes" : "IPv6 address"));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes", e);
        }
    }

    /** Exactly four decimal numbers 0-255, no heading zeroes, single dots: the spec's canonical form only. */
    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = decimal(parts[i], 3);
            if (value < 0 || value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /** Hex groups and colons (with one {@code ::}), as Netty's address parser reads them; no scope, no brackets. */
    private static byte[] ipv6(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':'
                    || c == '.';
            if (!allowed) {
                return null;
            }
        }
        if (!NetUtil.isValidIpV6Address(text)) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        return bytes != null && bytes.length == 16 ? bytes : null;
    }

    private static int port(String text, String which) throws ProxyProtocolException {
        int value = decimal(text, 5);
        if (value < 0 || value > 0xFFFF) {
            throw new ProxyProtocolException("v1 header: " + which + " port \"" + printable(text)
                    + "\" is not a decimal number 0-65535 without heading zeroes");
        }
        return value;
    }

    /** A decimal number of 1 to {@code maxDigits} digits without heading zeroes, or -1. */
    private static int decimal(String text, int maxDigits) {
        int n = text.length();
        if (n == 0 || n > maxDigits || n > 1 && text.charAt(0) == '0') {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** {@code text} with control and non-ASCII characters escaped, for a log line. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '%') { // '%' too: some loggers format their message
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c & 0xFF));
            }
        }
        return out.toString();
    }
}
