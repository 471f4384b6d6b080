package io.sluice.filters.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.pipe.Chunking;
import io.sluice.filters.fuzz.WarnLines;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Version 1 headers over a pipe, whole and split at every byte: the specification's section 2.1 rule by rule. */
class ServerV1Test {

    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: 192.168.0.11\r\n\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    /** Runs {@code input} whole and one byte per read; both must give the same outcome, which is returned. */
    static ProxyPipe.Outcome both(ProxyProtocolServer filter, byte[] input) {
        ProxyPipe.Outcome whole = ProxyPipe.run(filter, input, Chunking.whole());
        ProxyPipe.Outcome split = ProxyPipe.run(filter, input, Chunking.everyByte());
        assertThat(split.data()).as("data, split at every byte").isEqualTo(whole.data());
        assertThat(String.valueOf(split.error())).as("end, split at every byte").isEqualTo(String.valueOf(whole.error()));
        assertThat(split.header()).as("header, split at every byte").isEqualTo(whole.header());
        return whole;
    }

    @Test
    void readsTheSpecificationsExampleAndPassesTheRequestOnUnchanged() {
        ProxyPipe.Outcome o = both(ProxyProtocolServer.defaults(),
                bytes("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n" + REQUEST));

        assertThat(o.error()).isNull();
        assertThat(new String(o.data(), ISO_8859_1)).isEqualTo(REQUEST);
        ProxyHeader h = o.header();
        assertThat(h.version()).isEqualTo(ProxyVersion.V1);
        assertThat(h.command()).isEqualTo(ProxyHeader.Command.PROXY);
        assertThat(h.family()).isEqualTo(ProxyHeader.Family.INET);
        assertThat(h.transport()).isEqualTo(ProxyHeader.Transport.STREAM);
        assertThat(h.source()).isEqualTo(new InetSocketAddress("192.168.0.1", 56324));
        assertThat(h.destination()).isEqualTo(new InetSocketAddress("192.168.0.11", 443));
        assertThat(h.tlvs()).isEmpty();
        assertThat(o.info().remoteAddress()).isEqualTo(new InetSocketAddress("192.168.0.1", 56324));
        assertThat(o.info().localAddress()).isEqualTo(new InetSocketAddress("192.168.0.11", 443));
    }

    @Test
    void readsTcp6AddressesInAnyValidTextForm() {
        ProxyPipe.Outcome o = both(ProxyProtocolServer.defaults(),
                bytes("PROXY TCP6 2001:db8::1 2001:DB8:0:0:0:0:0:2 65535 0\r\nx"));

        assertThat(o.error()).isNull();
        assertThat(o.data()).isEqualTo(bytes("x"));
        assertThat(o.header().family()).isEqualTo(ProxyHeader.Family.INET6);
        assertThat(o.header().source()).isEqualTo(new InetSocketAddress("2001:db8::1", 65535));
        assertThat(o.header().destination()).isEqualTo(new InetSocketAddress("2001:db8::2", 0));
        assertThat(o.info().remoteAddress()).isEqualTo(new InetSocketAddress("2001:db8::1", 65535));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PROXY UNKNOWN",
        "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535",
        "PROXY UNKNOWN anything \u0001 at all",
    })
    void acceptsUnknownWithWhateverFollowsAndKeepsTheTransportsAddresses(String line) {
        ProxyPipe.Outcome o = both(ProxyProtocolServer.defaults(), bytes(line + "\r\ndata"));

        assertThat(o.error()).isNull();
        assertThat(o.data()).isEqualTo(bytes("data"));
        assertThat(o.header().family()).isEqualTo(ProxyHeader.Family.UNSPEC);
        assertThat(o.header().source()).isNull();
        assertThat(o.info().remoteAddress()).isEqualTo(ProxyPipe.TRANSPORT_REMOTE);
        assertThat(o.info().localAddress()).isEqualTo(ProxyPipe.TRANSPORT_LOCAL);
    }

    @Test
    void acceptsTheLongestLineOf107BytesAndRefusesOneByteMore() {
        String longest = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                + " 65535 65535\r\n";
        assertThat(longest).hasSize(107);
        assertThat(both(ProxyProtocolServer.defaults(), bytes(longest)).error()).isNull();

        String tooLong = longest.replace("65535 65535", "65535 655350");
        ProxyPipe.Outcome o = both(ProxyProtocolServer.defaults(), bytes(tooLong));
        assertThat(o.error()).isInstanceOf(ProxyProtocolException.class)
                .hasMessage("v1 header: no CRLF within the first 107 bytes");
        assertThat(o.data()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // line, the refusal's message
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\\n|v1 header: line feed without a carriage return at byte 30",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\\rX|v1 header: carriage return not followed by a line feed at byte 30",
        "PROXYTCP4 1.2.3.4 5.6.7.8 1 2\\r\\n|v1 header: no single space after PROXY",
        "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\\r\\n|v1 header: 6 fields after PROXY, expected 5 (protocol, addresses, ports) separated by single spaces",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1\\r\\n|v1 header: 4 fields after PROXY, expected 5 (protocol, addresses, ports) separated by single spaces",
        "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\\r\\n|v1 header: unknown protocol \"TCP5\" (TCP4, TCP6 or UNKNOWN)",
        "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\\r\\n|v1 header: unknown protocol \"tcp4\" (TCP4, TCP6 or UNKNOWN)",
        "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\\r\\n|v1 header: source address \"01.2.3.4\" is not an IPv4 address in dotted decimal without heading zeroes",
        "PROXY TCP4 1.2.3.4 5.6.7.256 1 2\\r\\n|v1 header: destination address \"5.6.7.256\" is not an IPv4 address in dotted decimal without heading zeroes",
        "PROXY TCP4 1.2.3 5.6.7.8 1 2\\r\\n|v1 header: source address \"1.2.3\" is not an IPv4 address in dotted decimal without heading zeroes",
        "PROXY TCP4 ::1 5.6.7.8 1 2\\r\\n|v1 header: source address \"::1\" is not an IPv4 address in dotted decimal without heading zeroes",
        "PROXY TCP6 1.2.3.4 ::1 1 2\\r\\n|v1 header: source address \"1.2.3.4\" is not an IPv6 address",
        "PROXY TCP6 ::1%eth0 ::1 1 2\\r\\n|v1 header: source address \"::1\\x25eth0\" is not an IPv6 address",
        "PROXY TCP6 [::1] ::1 1 2\\r\\n|v1 header: source address \"[::1]\" is not an IPv6 address",
        "PROXY TCP6 1::2::3 ::1 1 2\\r\\n|v1 header: source address \"1::2::3\" is not an IPv6 address",
        "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\\r\\n|v1 header: source port \"01\" is not a decimal number 0-65535 without heading zeroes",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\\r\\n|v1 header: destination port \"65536\" is not a decimal number 0-65535 without heading zeroes",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 -2\\r\\n|v1 header: destination port \"-2\" is not a decimal number 0-65535 without heading zeroes",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \\r\\n|v1 header: 6 fields after PROXY, expected 5 (protocol, addresses, ports) separated by single spaces",
        "PROXY UNKNOWNX\\r\\n|v1 header: unknown protocol \"UNKNOWNX\" (TCP4, TCP6 or UNKNOWN)",
        "GET / HTTP/1.1\\r\\n|no PROXY protocol header: byte 0 is 0x47, in neither signature",
    })
    void refusesEveryLineThatBreaksARuleWithOneWarningAndNothingPassedOn(String line, String message) {
        byte[] input = bytes(line.replace("\\r", "\r").replace("\\n", "\n") + "data after");
        try (WarnLines warnings = WarnLines.capture()) {
            ProxyPipe.Outcome o = both(ProxyProtocolServer.defaults(), input);

            assertThat(o.error()).isInstanceOf(ProxyProtocolException.class).hasMessage(message);
            assertThat(o.data()).isEmpty();
            assertThat(o.header()).isNull();
            List<String> lines = warnings.take();
            assertThat(lines).hasSize(2); // one per run, whole and split
            assertThat(lines.get(0)).contains("refusing the connection from /10.0.0.1:40000: " + message);
        }
    }

    @Test
    void refusesAHeaderCutShortByTheEndOfTheConnection() {
        ProxyPipe.Outcome o = both(ProxyProtocolServer.defaults(), bytes("PROXY TCP4 1.2.3.4 5.6"));

        assertThat(o.error()).isInstanceOf(ProxyProtocolException.class)
                .hasMessage("the connection ended before a complete PROXY protocol header (22 byte(s) received)");
    }

    @Test
    void refusesAVersion1HeaderWhenOnlyVersion2IsAccepted() {
        ProxyPipe.Outcome o = both(ProxyProtocolServer.builder().versions(ProxyVersion.V2).build(),
                bytes("PROXY UNKNOWN\r\n"));

        assertThat(o.error()).isInstanceOf(ProxyProtocolException.class)
                .hasMessage("a v1 header, but only [V2] accepted");
    }
}
