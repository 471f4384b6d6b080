package io.sluice.filters.proxy;

import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.Filter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sending side of the PROXY protocol: a filter that writes a header as the very first bytes of the connection,
 * then the application's stream unchanged, for a load balancer or relay built with Sluice that tells its backend
 * whom it relays.
 *
 * <p>The addresses are the ones given to the builder, or by default the lower connection's own (its local address as
 * the source, its remote as the destination: what a proxy sends for its own health checks). Without usable addresses
 * (an in-memory pipe), version 1 sends {@code PROXY UNKNOWN} and version 2 an unspecified family. A relay that knows
 * its client applies a filter built for that client to its outgoing connection before sending:
 * {@code ProxyProtocol.client(V2).source(client).destination(front).build().apply(outgoing)}.
 *
 * <p>Ownership: the header is one buffer from the lower connection's budget, made when the lower connection takes it;
 * the application's buffers pass through untouched, as {@link Connection#send} says. If the header cannot be sent,
 * the connection is closed.
 */
public final class ProxyProtocolClient implements Filter {

    private final ProxyVersion version;
    private final boolean local;
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final List<ProxyTlv> tlvs;
    private final boolean crc32c;

    private ProxyProtocolClient(Builder b) {
        if ((b.source == null) != (b.destination == null)) {
            throw new IllegalArgumentException("set both the source and the destination, or neither");
        }
        if (b.source != null && (b.source.isUnresolved() || b.destination.isUnresolved())) {
            throw new IllegalArgumentException("addresses must be resolved, got " + b.source + " and " + b.destination);
        }
        if (b.version == ProxyVersion.V1 && (b.local || !b.tlvs.isEmpty() || b.crc32c)) {
            throw new IllegalArgumentException("LOCAL, TLVs and CRC32C are version 2 only");
        }
        this.version = b.version;
        this.local = b.local;
        this.source = b.source;
        this.destination = b.destination;
        this.tlvs = List.copyOf(b.tlvs);
        this.crc32c = b.crc32c;
        header(source, destination); // checks the TLVs fit
    }

    public static Builder builder(ProxyVersion version) {
        return new Builder(Objects.requireNonNull(version, "version"));
    }

    @Override
    public Connection apply(Connection lower) {
        InetSocketAddress src = source;
        InetSocketAddress dst = destination;
        if (src == null) {
            ConnectionInfo info = lower.info();
            if (info.localAddress() instanceof InetSocketAddress l && info.remoteAddress() instanceof InetSocketAddress r) {
                src = l;
                dst = r;
            }
        }
        return new ProxyingConnection(lower, header(src, dst));
    }

    private byte[] header(InetSocketAddress src, InetSocketAddress dst) {
        return HeaderWriter.write(version, local, src, dst, tlvs, crc32c);
    }

    @Override
    public String toString() {
        return "ProxyProtocolClient[" + version + (local ? ", LOCAL" : "")
                + (source != null ? ", " + source + " -> " + destination : ", connection's addresses") + "]";
    }

    /** Settings of a {@link ProxyProtocolClient}; checked by {@link #build()}. */
    public static final class Builder {
        private final ProxyVersion version;
        private boolean local;
        private InetSocketAddress source;
        private InetSocketAddress destination;
        private final List<ProxyTlv> tlvs = new ArrayList<>();
        private boolean crc32c;

        private Builder(ProxyVersion version) {
            this.version = version;
        }

        /** The relayed client's address; set with {@link #destination}. */
        public Builder source(InetSocketAddress source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The address the client connected to; set with {@link #source}. */
        public Builder destination(InetSocketAddress destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /** Version 2's LOCAL command (a connection of the proxy's own, such as a health check): no addresses. */
        public Builder local() {
            this.local = true;
            return this;
        }

        /** Adds a TLV (version 2), after those added before. */
        public Builder tlv(ProxyTlv tlv) {
            tlvs.add(Objects.requireNonNull(tlv, "tlv"));
            return this;
        }

        /** Adds a {@code PP2_TYPE_ALPN} TLV. */
        public Builder alpn(String protocol) {
            return tlv(new ProxyTlv(ProxyTlv.ALPN, protocol.getBytes(StandardCharsets.US_ASCII)));
        }

        /** Adds a {@code PP2_TYPE_AUTHORITY} TLV: the host name the client asked for. */
        public Builder authority(String host) {
            return tlv(new ProxyTlv(ProxyTlv.AUTHORITY, host.getBytes(StandardCharsets.UTF_8)));
        }

        /** Adds a {@code PP2_TYPE_UNIQUE_ID} TLV of at most 128 bytes. */
        public Builder uniqueId(byte[] id) {
            if (id.length > 128) {
                throw new IllegalArgumentException("a unique id is at most 128 bytes, got " + id.length);
            }
            return tlv(new ProxyTlv(ProxyTlv.UNIQUE_ID, id));
        }

        /** Adds a {@code PP2_TYPE_SSL} TLV with {@code ssl}'s fields and its sub-TLVs as given. */
        public Builder ssl(ProxySsl ssl) {
            return tlv(SslTlv.encode(ssl));
        }

        /** Ends the header with a {@code PP2_TYPE_CRC32C} TLV over the whole header (version 2). */
        public Builder crc32c() {
            this.crc32c = true;
            return this;
        }

        /** @throws IllegalArgumentException for an option the version cannot carry, or TLVs over 64 KiB */
        public ProxyProtocolClient build() {
            return new ProxyProtocolClient(this);
        }
    }
}
