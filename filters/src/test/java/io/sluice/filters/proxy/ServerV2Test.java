package io.sluice.filters.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Version 2 headers over a pipe, whole and split at every byte: every family and command, the TLVs, and each invalid
 * form the specification's section 2.2 names. Headers are written as commented hex.
 */
class ServerV2Test {

    static final String SIGNATURE = "0d0a0d0a000d0a515549540a";
    static final String TCP4_ADDRESSES = "c0a80001 c0a8000b dc04 01bb"; // 192.168.0.1:56324 -> 192.168.0.11:443

    /** The signature, the version/command and family/transport bytes, the length of {@code body}, then it. */
    static byte[] v2(String versionCommand, String familyTransport, String body) {
        byte[] b = HexFormat.of().parseHex(body.replace(" ", ""));
        String hex = SIGNATURE + versionCommand + familyTransport + String.format("%04x", b.length) + body;
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String tlv(int type, String valueHex) {
        String v = valueHex.replace(" ", "");
        return String.format("%02x%04x", type, v.length() / 2) + v;
    }

    static String ascii(String s) {
        return HexFormat.of().formatHex(s.getBytes(US_ASCII));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ProxyPipe.Outcome accepted(byte[] header) {
        ProxyPipe.Outcome o = ServerV1Test.both(ProxyProtocolServer.defaults(), concat(header, ascii("data")
                .transform(HexFormat.of()::parseHex)));
        assertThat(o.error()).as("refusal").isNull();
        assertThat(o.data()).isEqualTo("data".getBytes(US_ASCII));
        return o;
    }

    @Test
    void readsTcpOverIpv4AndPresentsItsAddresses() {
        ProxyPipe.Outcome o = accepted(v2("21", "11", TCP4_ADDRESSES)); // PROXY, TCP over IPv4

        ProxyHeader h = o.header();
        assertThat(h.version()).isEqualTo(ProxyVersion.V2);
        assertThat(h.command()).isEqualTo(ProxyHeader.Command.PROXY);
        assertThat(h.family()).isEqualTo(ProxyHeader.Family.INET);
        assertThat(h.transport()).isEqualTo(ProxyHeader.Transport.STREAM);
        assertThat(h.source()).isEqualTo(new InetSocketAddress("192.168.0.1", 56324));
        assertThat(o.info().remoteAddress()).isEqualTo(new InetSocketAddress("192.168.0.1", 56324));
        assertThat(o.info().localAddress()).isEqualTo(new InetSocketAddress("192.168.0.11", 443));
    }

    @Test
    void readsUdpOverIpv6() {
        ProxyPipe.Outcome o = accepted(v2("21", "22", // PROXY, UDP over IPv6
                "20010db8000000000000000000000001" // 2001:db8::1
                + "20010db8000000000000000000000002" // 2001:db8::2
                + "0035 ffff")); // 53 -> 65535

        assertThat(o.header().family()).isEqualTo(ProxyHeader.Family.INET6);
        assertThat(o.header().transport()).isEqualTo(ProxyHeader.Transport.DGRAM);
        assertThat(o.header().source()).isEqualTo(new InetSocketAddress("2001:db8::1", 53));
        assertThat(o.header().destination()).isEqualTo(new InetSocketAddress("2001:db8::2", 65535));
        assertThat(o.info().remoteAddress()).isEqualTo(new InetSocketAddress("2001:db8::1", 53));
    }

    @Test
    void readsUnixPathsAndKeepsTheTransportsAddresses() {
        String source = ascii("/run/client.sock") + "00".repeat(108 - 16);
        String destination = "00" + ascii("abstract") + "00".repeat(108 - 9); // Linux abstract namespace
        ProxyPipe.Outcome o = accepted(v2("21", "31", source + destination)); // PROXY, UNIX stream

        assertThat(o.header().family()).isEqualTo(ProxyHeader.Family.UNIX);
        assertThat(o.header().unixSource()).isEqualTo("/run/client.sock");
        assertThat(o.header().unixDestination()).isEqualTo("@abstract");
        assertThat(o.header().source()).isNull();
        assertThat(o.info().remoteAddress()).isEqualTo(ProxyPipe.TRANSPORT_REMOTE);
    }

    @ParameterizedTest
    @CsvSource({
        "20, 00, ''",                                           // LOCAL, UNSPEC, no address: a health check
        "20, 11, c0a80001 c0a8000b dc04 01bb",                   // LOCAL with addresses: ignored
        "21, 00, ''",                                           // PROXY, UNSPEC: the real endpoints are used
        "21, 10, c0a80001 c0a8000b dc04 01bb",                   // PROXY, IPv4 but unspecified transport
    })
    void keepsTheTransportsAddressesForLocalAndUnspecified(String versionCommand, String family, String body) {
        ProxyPipe.Outcome o = accepted(v2(versionCommand, family, body));

        assertThat(o.header().source()).isNull();
        assertThat(o.header().command()).isEqualTo(versionCommand.equals("20") ? ProxyHeader.Command.LOCAL
                : ProxyHeader.Command.PROXY);
        assertThat(o.info().remoteAddress()).isEqualTo(ProxyPipe.TRANSPORT_REMOTE);
        assertThat(o.info().localAddress()).isEqualTo(ProxyPipe.TRANSPORT_LOCAL);
    }

    @Test
    void decodesEveryRegisteredTlvAndKeepsTheOthersRaw() {
        String ssl = "07" + "00000000" // client: SSL, cert on connection and in session; verify: 0 (verified)
                + tlv(0x21, ascii("TLSv1.3"))
                + tlv(0x22, HexFormat.of().formatHex("Zoë".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                + tlv(0x23, ascii("TLS_AES_128_GCM_SHA256"))
                + tlv(0x24, ascii("RSA-SHA256"))
                + tlv(0x25, ascii("RSA2048"))
                + tlv(0x26, ascii("X25519")); // a newer sub-TLV: kept raw
        ProxyPipe.Outcome o = accepted(v2("21", "11", TCP4_ADDRESSES
                + tlv(0x01, ascii("h2"))
                + tlv(0x02, ascii("example.com"))
                + tlv(0x04, "") // NOOP
                + tlv(0x05, "0102030405")
                + tlv(0x20, ssl)
                + tlv(0x30, ascii("blue"))
                + tlv(0xEA, ascii("vpce-0123")))); // application range: AWS's VPC endpoint id

        ProxyHeader h = o.header();
        assertThat(h.alpn()).contains("h2");
        assertThat(h.authority()).contains("example.com");
        assertThat(h.uniqueId()).hasValueSatisfying(id -> assertThat(id).containsExactly(1, 2, 3, 4, 5));
        assertThat(h.netns()).contains("blue");
        assertThat(h.tlv(0xEA)).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("vpce-0123".getBytes(US_ASCII)));
        assertThat(h.tlvs()).extracting(ProxyTlv::type).containsExactly(0x01, 0x02, 0x04, 0x05, 0x20, 0x30, 0xEA);
        ProxySsl s = h.ssl().orElseThrow();
        assertThat(s.overTls()).isTrue();
        assertThat(s.certificateOnConnection()).isTrue();
        assertThat(s.certificateInSession()).isTrue();
        assertThat(s.verified()).isTrue();
        assertThat(s.version()).isEqualTo("TLSv1.3");
        assertThat(s.commonName()).isEqualTo("Zoë");
        assertThat(s.cipher()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(s.signatureAlgorithm()).isEqualTo("RSA-SHA256");
        assertThat(s.keyAlgorithm()).isEqualTo("RSA2048");
        assertThat(s.subTlvs()).extracting(ProxyTlv::type).containsExactly(0x21, 0x22, 0x23, 0x24, 0x25, 0x26);
    }

    @Test
    void acceptsAHeaderWhoseCrc32cMatchesAndRefusesOneWhoseDoesNot() {
        byte[] header = v2("21", "11", TCP4_ADDRESSES + tlv(0x03, "00000000"));
        CRC32C crc = new CRC32C();
        crc.update(header);
        long value = crc.getValue();
        for (int i = 0; i < 4; i++) {
            header[header.length - 4 + i] = (byte) (value >>> (24 - 8 * i));
        }
        assertThat(accepted(header).header().tlv(ProxyTlv.CRC32C)).isPresent();

        header[20] ^= 1; // the source address changed in transit
        ProxyPipe.Outcome o = ServerV1Test.both(ProxyProtocolServer.defaults(), header);
        assertThat(o.error()).isInstanceOf(ProxyProtocolException.class)
                .hasMessageStartingWith("v2 header: CRC32C mismatch, header says " + String.format("%08x", value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // version/command, family/transport, body, the refusal
        "11|11|c0a80001 c0a8000b dc04 01bb|v2 header: version 1, expected 2",
        "22|11|c0a80001 c0a8000b dc04 01bb|v2 header: unassigned command 2",
        "21|41|c0a80001 c0a8000b dc04 01bb|v2 header: unassigned address family and transport 0x41",
        "21|13|c0a80001 c0a8000b dc04 01bb|v2 header: unassigned address family and transport 0x13",
        "21|11|c0a80001 c0a8000b|v2 header: 8 bytes after the fixed part, fewer than the 12 of a INET address block",
        "21|21|c0a80001 c0a8000b dc04 01bb|v2 header: 12 bytes after the fixed part, fewer than the 36 of a INET6 address block",
        "21|11|c0a80001 c0a8000b dc04 01bb 0100|v2 header: 2 byte(s) left after the last TLV, less than a TLV header",
        "21|11|c0a80001 c0a8000b dc04 01bb 010005 6832|v2 header: TLV 0x01 announces 5 bytes, 2 left",
        "21|11|c0a80001 c0a8000b dc04 01bb 020002 c328|authority TLV is not valid UTF-8",
        "21|11|c0a80001 c0a8000b dc04 01bb 030002 0000|v2 header: CRC32C TLV of 2 bytes, not 4",
        "21|11|c0a80001 c0a8000b dc04 01bb 200004 01000000|SSL TLV of 4 bytes, shorter than its 5 fixed bytes",
        "21|11|c0a80001 c0a8000b dc04 01bb 200008 0100000000 210005|SSL TLV: TLV 0x21 announces 5 bytes, 0 left",
    })
    void refusesEveryInvalidForm(String versionCommand, String family, String body, String message) {
        ProxyPipe.Outcome o = ServerV1Test.both(ProxyProtocolServer.defaults(),
                concat(v2(versionCommand, family, body), "data".getBytes(US_ASCII)));

        assertThat(o.error()).isInstanceOf(ProxyProtocolException.class).hasMessage(message);
        assertThat(o.data()).isEmpty();
    }

    @Test
    void refusesAUniqueIdLongerThan128Bytes() {
        ProxyPipe.Outcome o = ServerV1Test.both(ProxyProtocolServer.defaults(),
                v2("21", "11", TCP4_ADDRESSES + tlv(0x05, "ab".repeat(129))));

        assertThat(o.error()).hasMessage("v2 header: unique id TLV of 129 bytes, more than 128");
    }

    @Test
    void refusesAHeaderLongerThanTheLimitAsSoonAsItsLengthArrives() {
        ProxyProtocolServer filter = ProxyProtocolServer.builder().maxV2HeaderLength(300).build();
        byte[] fixedPart = HexFormat.of().parseHex(SIGNATURE + "21" + "11" + "0200"); // 512 bytes announced
        ProxyPipe p = new ProxyPipe(io.sluice.api.pipe.Chunking.everyByte());
        io.sluice.api.Connection upper = filter.apply(p.lower);
        p.peerWrites(fixedPart); // and nothing more: refused without waiting for the 512

        ProxyPipe.Outcome o = p.readAll(upper);
        assertThat(o.error()).hasMessage("v2 header of 528 bytes exceeds the limit of 300");
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void acceptsAHeaderOfExactlyTheLimit() {
        ProxyProtocolServer filter = ProxyProtocolServer.builder().maxV2HeaderLength(300).build();
        String body = TCP4_ADDRESSES + tlv(0x04, "00".repeat(300 - 16 - 12 - 3));

        ProxyPipe.Outcome o = ServerV1Test.both(filter, v2("21", "11", body));
        assertThat(o.error()).isNull();
        assertThat(o.header().tlvs()).hasSize(1);
    }

    @Test
    void refusesBytesThatLeaveTheSignatureAtTheFirstDifference() {
        ProxyPipe.Outcome o = ServerV1Test.both(ProxyProtocolServer.defaults(),
                HexFormat.of().parseHex("0d0a0d0a000d0a515549550a")); // QUIU instead of QUIT

        assertThat(o.error()).hasMessage("no PROXY protocol header: byte 10 is 0x55, in neither signature");
    }

    @Test
    void refusesAVersion2HeaderWhenOnlyVersion1IsAccepted() {
        ProxyPipe.Outcome o = ServerV1Test.both(ProxyProtocolServer.builder().versions(ProxyVersion.V1).build(),
                v2("20", "00", ""));

        assertThat(o.error()).hasMessage("a v2 header, but only [V1] accepted");
    }
}
