package io.sluice.filters.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PROXY protocol's structure written out plainly for the fuzz test, on a whole byte array: what header a
 * connection's bytes start with, if a valid one. It checks the structure only (signature, fields, lengths, address
 * syntax, TLV framing); the meaning of registered TLVs (UTF-8, the CRC) is left to the filter, which may refuse more.
 */
final class ProxyModel {

    /** A header as the model reads it: its length, addresses (null when not carried), and raw TLVs. */
    record Header(int length, String version, boolean local, InetSocketAddress source, InetSocketAddress destination,
            List<String> tlvs) {
    }

    private static final byte[] SIG = {13, 10, 13, 10, 0, 13, 10, 'Q', 'U', 'I', 'T', 10};
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern V4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
    private static final Pattern PORT = Pattern.compile("0|[1-9][0-9]{0,4}");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern LINE = Pattern.compile("PROXY (TCP4|TCP6) ([^ ]+) ([^ ]+) ([^ ]+) ([^ ]+)");

    private ProxyModel() {
    }

    /** The valid header {@code in} starts with, or null (invalid, or cut short). */
    static Header parse(byte[] in, int maxV2) {
        if (in.length >= 16 && Arrays.equals(in, 0, 12, SIG, 0, 12)) {
            return v2(in, maxV2);
        }
        if (in.length >= 5 && new String(in, 0, 5, StandardCharsets.ISO_8859_1).equals("PROXY")) {
            return v1(in);
        }
        return null;
    }

    private static Header v1(byte[] in) {
        int end = -1;
        for (int i = 0; i + 1 < Math.min(in.length, 107); i++) {
            if (in[i] == '\r' && in[i + 1] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return null;
        }
        String line = new String(in, 0, end, StandardCharsets.ISO_8859_1);
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            return null;
        }
        if (line.equals("PROXY UNKNOWN") || line.startsWith("PROXY UNKNOWN ")) {
            return new Header(end + 2, "V1", false, null, null, List.of());
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches() || !PORT.matcher(m.group(4)).matches() || !PORT.matcher(m.group(5)).matches()) {
            return null;
        }
        int sp = Integer.parseInt(m.group(4));
        int dp = Integer.parseInt(m.group(5));
        if (sp > 65535 || dp > 65535) {
            return null;
        }
        InetAddress s = address(m.group(2), m.group(1).equals("TCP4"));
        InetAddress d = address(m.group(3), m.group(1).equals("TCP4"));
        if (s == null || d == null) {
            return null;
        }
        return new Header(end + 2, "V1", false, new InetSocketAddress(s, sp), new InetSocketAddress(d, dp), List.of());
    }

    private static InetAddress address(String text, boolean v4) {
        try {
            if (v4) {
                return V4.matcher(text).matches() ? InetAddress.getByName(text) : null;
            }
            // a literal with a colon is never looked up
            return text.contains(":") && V6_CHARS.matcher(text).matches() ? InetAddress.getByName(text) : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static Header v2(byte[] in, int maxV2) {
        int verCmd = in[12] & 0xFF;
        int fam = in[13] & 0xFF;
        int total = 16 + ((in[14] & 0xFF) << 8 | in[15] & 0xFF);
        if (verCmd >> 4 != 2 || (verCmd & 15) > 1 || fam >> 4 > 3 || (fam & 15) > 2 || total > maxV2
                || total > in.length) {
            return null;
        }
        boolean local = (verCmd & 15) == 0;
        int family = fam >> 4;
        boolean unspecified = family == 0 || (fam & 15) == 0;
        if (unspecified && family != 0) {
            return new Header(total, "V2", local, null, null, List.of());
        }
        int addr = new int[] {0, 12, 36, 216}[family];
        if (16 + addr > total) {
            return null;
        }
        List<String> tlvs = new ArrayList<>();
        int at = 16 + addr;
        while (at < total) {
            if (total - at < 3) {
                return null;
            }
            int len = (in[at + 1] & 0xFF) << 8 | in[at + 2] & 0xFF;
            if (at + 3 + len > total) {
                return null;
            }
            tlvs.add(String.format("%02x:", in[at] & 0xFF) + java.util.HexFormat.of().formatHex(in, at + 3,
                    at + 3 + len));
            at += 3 + len;
        }
        InetSocketAddress s = null;
        InetSocketAddress d = null;
        if (!local && !unspecified && family != 3) {
            int size = family == 1 ? 4 : 16;
            try {
                s = new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(in, 16, 16 + size)),
                        (in[16 + 2 * size] & 0xFF) << 8 | in[17 + 2 * size] & 0xFF);
                d = new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(in, 16 + size, 16 + 2 * size)),
                        (in[18 + 2 * size] & 0xFF) << 8 | in[19 + 2 * size] & 0xFF);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Header(total, "V2", local, s, d, tlvs);
    }
}
