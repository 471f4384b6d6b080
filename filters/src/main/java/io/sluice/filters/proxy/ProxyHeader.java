package io.sluice.filters.proxy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A PROXY protocol header as received: immutable, no buffer of the connection in it.
 *
 * <p>{@code source} and {@code destination} are the relayed client's and server's addresses for a {@code PROXY}
 * command over IPv4 or IPv6; they are null for a {@code LOCAL} command (the proxy's own connection, a health check),
 * for version 1's {@code UNKNOWN}, for an unspecified family or transport, and for {@code AF_UNIX}, whose paths are
 * in {@code unixSource} and {@code unixDestination} instead. A v4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is
 * given as the IPv4 address it maps, as the JDK does.
 *
 * @param tlvs every TLV of a version 2 header in order, the known types included (empty for version 1)
 */
public record ProxyHeader(ProxyVersion version, Command command, Family family, Transport transport,
        InetSocketAddress source, InetSocketAddress destination, String unixSource, String unixDestination,
        List<ProxyTlv> tlvs) {

    /** Version 2's command; a version 1 header is always {@link #PROXY}. */
    public enum Command {
        /** The proxy made this connection for itself (a health check): the transport's addresses are the real ones. */
        LOCAL,
        /** Relayed on behalf of a client: the header's addresses are the real ones. */
        PROXY
    }

    /** The address family of the relayed connection; {@link #UNSPEC} for version 1's {@code UNKNOWN}. */
    public enum Family {
        UNSPEC, INET, INET6, UNIX
    }

    /** The transport of the relayed connection: version 1's {@code TCP4}/{@code TCP6} are {@link #STREAM}. */
    public enum Transport {
        UNSPEC, STREAM, DGRAM
    }

    public ProxyHeader {
        tlvs = List.copyOf(tlvs);
    }

    /** Whether the header carries the relayed client's address ({@link #source()} is not null). */
    public boolean hasAddresses() {
        return source != null;
    }

    /** {@code PP2_TYPE_ALPN}: the protocol the client negotiated with the proxy, such as {@code h2}. */
    public Optional<String> alpn() {
        return tlv(ProxyTlv.ALPN).map(t -> new String(t.valueUnsafe(), StandardCharsets.US_ASCII));
    }

    /** {@code PP2_TYPE_AUTHORITY}: the host name the client asked for (TLS SNI); valid UTF-8, checked on receipt. */
    public Optional<String> authority() {
        return tlv(ProxyTlv.AUTHORITY).map(t -> new String(t.valueUnsafe(), StandardCharsets.UTF_8));
    }

    /** {@code PP2_TYPE_UNIQUE_ID}: the proxy's opaque id of the connection (at most 128 bytes), a copy. */
    public Optional<byte[]> uniqueId() {
        return tlv(ProxyTlv.UNIQUE_ID).map(ProxyTlv::value);
    }

    /** {@code PP2_TYPE_NETNS}: the name of the network namespace the client connected in. */
    public Optional<String> netns() {
        return tlv(ProxyTlv.NETNS).map(t -> new String(t.valueUnsafe(), StandardCharsets.US_ASCII));
    }

    /** {@code PP2_TYPE_SSL}: the client's TLS connection to the proxy, decoded. */
    public Optional<ProxySsl> ssl() {
        return tlv(ProxyTlv.SSL).map(t -> {
            try {
                return SslTlv.decode(t.valueUnsafe());
            } catch (ProxyProtocolException e) {
                throw new IllegalStateException("checked on receipt", e);
            }
        });
    }

    /** The first TLV of {@code type}. */
    public Optional<ProxyTlv> tlv(int type) {
        for (ProxyTlv t : tlvs) {
            if (t.type() == type) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
