package io.sluice.filters.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;

/**
 * Netty's {@code netty-codec-haproxy} as an independent reference: its encoder writes headers the server filter must
 * read, and its decoder reads what the client filter writes.
 */
class NettyReferenceTest {

    @ParameterizedTest
    @CsvSource({
        "V1, PROXY, TCP4, 192.0.2.1, 198.51.100.2, 1234, 80",
        "V1, PROXY, TCP6, 2001:db8::1, 2001:db8::ff, 65535, 443",
        "V2, PROXY, TCP4, 192.0.2.1, 198.51.100.2, 1234, 80",
        "V2, PROXY, UDP4, 192.0.2.1, 198.51.100.2, 53, 53",
        "V2, PROXY, TCP6, 2001:db8::1, 2001:db8::ff, 65535, 443",
        "V2, PROXY, UDP6, ::1, ::2, 1, 2",
        "V2, LOCAL, UNKNOWN, , , 0, 0",
        "V2, PROXY, UNIX_STREAM, /run/a.sock, /run/b.sock, 0, 0",
    })
    void readsWhatNettysEncoderWrites(String version, String command, String protocol, String src, String dst,
            int srcPort, int dstPort) {
        HAProxyMessage message = new HAProxyMessage(HAProxyProtocolVersion.valueOf(version),
                HAProxyCommand.valueOf(command), HAProxyProxiedProtocol.valueOf(protocol), src, dst, srcPort, dstPort,
                version.equals("V2") ? List.of(new HAProxyTLV((byte) 0xE1, Unpooled.wrappedBuffer(new byte[] {7})))
                        : List.of());
        byte[] header;
        try {
            header = encode(message);
        } finally {
            message.release();
        }

        ProxyPipe.Outcome o = ServerV1Test.both(ProxyProtocolServer.defaults(), ServerV2Test.concat(header,
                "after".getBytes(US_ASCII)));
        assertThat(o.error()).isNull();
        assertThat(o.data()).isEqualTo("after".getBytes(US_ASCII));
        ProxyHeader h = o.header();
        assertThat(h.version().name()).isEqualTo(version);
        assertThat(h.command().name()).isEqualTo(command);
        HAProxyProxiedProtocol p = HAProxyProxiedProtocol.valueOf(protocol);
        if (p.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_UNIX) {
            assertThat(h.unixSource()).isEqualTo(src);
            assertThat(h.unixDestination()).isEqualTo(dst);
        } else if (command.equals("PROXY") && p != HAProxyProxiedProtocol.UNKNOWN) {
            assertThat(h.source()).isEqualTo(new InetSocketAddress(src, srcPort));
            assertThat(h.destination()).isEqualTo(new InetSocketAddress(dst, dstPort));
            assertThat(h.transport()).isEqualTo(p.transportProtocol() == HAProxyProxiedProtocol.TransportProtocol.DGRAM
                    ? ProxyHeader.Transport.DGRAM : ProxyHeader.Transport.STREAM);
        } else {
            assertThat(h.source()).isNull();
        }
        if (version.equals("V2") && command.equals("PROXY")) { // Netty writes no TLV for LOCAL
            assertThat(h.tlv(0xE1)).as(java.util.HexFormat.of().formatHex(header))
                    .hasValueSatisfying(t -> assertThat(t.value()).containsExactly(7));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "V1, 192.0.2.1, 198.51.100.2, TCP4",
        "V1, 2001:db8::1, 2001:db8::ff, TCP6",
        "V1, 192.0.2.1, 2001:db8::ff, TCP6", // two families: the IPv4 one mapped into IPv6
        "V2, 192.0.2.1, 198.51.100.2, TCP4",
        "V2, 2001:db8::1, 2001:db8::ff, TCP6",
    })
    void nettysDecoderReadsWhatTheClientFilterWrites(String version, String src, String dst, String protocol) {
        ProxyProtocolClient.Builder b = ProxyProtocol.client(ProxyVersion.valueOf(version))
                .source(new InetSocketAddress(src, 5555)).destination(new InetSocketAddress(dst, 443));
        if (version.equals("V2")) {
            b.authority("example.com").alpn("h2").uniqueId(new byte[] {1, 2, 3}).crc32c();
        }
        HAProxyMessage m = decode(written(b.build()));
        try {
            check(m, version, src, dst, protocol);
        } finally {
            m.release();
        }
    }

    private static void check(HAProxyMessage m, String version, String src, String dst, String protocol) {

        assertThat(m.protocolVersion().name()).isEqualTo(version);
        assertThat(m.command()).isEqualTo(HAProxyCommand.PROXY);
        assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.valueOf(protocol));
        assertThat(m.sourcePort()).isEqualTo(5555);
        assertThat(m.destinationPort()).isEqualTo(443);
        assertThat(new InetSocketAddress(m.sourceAddress(), 0).getAddress())
                .isEqualTo(new InetSocketAddress(src, 0).getAddress());
        assertThat(new InetSocketAddress(m.destinationAddress(), 0).getAddress())
                .isEqualTo(new InetSocketAddress(dst, 0).getAddress());
        if (version.equals("V2")) {
            assertThat(m.tlvs()).extracting(t -> t.typeByteValue() & 0xFF)
                    .containsExactly(ProxyTlv.AUTHORITY, ProxyTlv.ALPN, ProxyTlv.UNIQUE_ID, ProxyTlv.CRC32C);
            assertThat(m.tlvs().get(0).content().toString(US_ASCII)).isEqualTo("example.com");
        }
    }

    @Test
    void nettysDecoderReadsTheClientFiltersLocalCommandAndUnknownAddresses() {
        HAProxyMessage local = decode(written(ProxyProtocol.client(ProxyVersion.V2).local().build()));
        assertThat(local.command()).isEqualTo(HAProxyCommand.LOCAL);
        local.release();

        HAProxyMessage unknown = decode(written(ProxyProtocol.client(ProxyVersion.V1).build())); // a pipe: no addresses
        assertThat(unknown.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.UNKNOWN);
        unknown.release();
    }

    /** The bytes {@code filter} writes first on a pipe, before the application's {@code app}. */
    private static byte[] written(ProxyProtocolClient filter) {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        Connection upper = filter.apply(p.pipe.right());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Mono<Void> read = p.peer.receive()
                .doOnNext(b -> ProxyPipe.append(out, b))
                .takeUntil(b -> new String(out.toByteArray(), US_ASCII).endsWith("app"))
                .then();
        upper.send(Mono.fromCallable(() -> upper.budget().allocator().buffer().writeBytes("app".getBytes(US_ASCII))))
                .subscribe();
        read.block(ProxyPipe.WAIT);
        p.closeAndAssertNothingLeaks();
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, all.length - 3);
    }

    private static byte[] encode(HAProxyMessage message) {
        EmbeddedChannel channel = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        channel.writeOutbound(message.retain());
        ByteBuf out = channel.readOutbound();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        channel.finishAndReleaseAll();
        return bytes;
    }

    private static HAProxyMessage decode(byte[] header) {
        EmbeddedChannel channel = new EmbeddedChannel(new HAProxyMessageDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(header));
        HAProxyMessage m = channel.readInbound();
        assertThat(m).as("Netty's decoder gave no message").isNotNull();
        channel.finishAndReleaseAll();
        return m;
    }
}
