package io.sluice.filters.proxy;

import io.sluice.api.Connection;
import io.sluice.api.Filter;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The server side of the PROXY protocol (HAProxy's, versions 1 and 2): a filter that reads the header a load
 * balancer or proxy puts before a connection's first byte, removes it, and presents the client it announces.
 *
 * <p>From the moment the filter is applied it reads the header, whether or not the application reads yet. Once the
 * header is accepted, the upper connection's {@link Connection#info()} carries it as {@link ProxyProtocol#HEADER},
 * and for a {@code PROXY} command over IPv4 or IPv6 its {@code remoteAddress()} and {@code localAddress()} are the
 * header's source and destination (for {@code LOCAL}, {@code UNKNOWN}, unspecified and {@code AF_UNIX} headers they
 * stay the transport's, as the specification says). Until then, {@code info()} is the transport's; the upper
 * connection's {@link Connection#ready()} completes once the header is accepted (errors when it is refused), and a
 * Sluice server starts its handler only then. Elsewhere, {@link ProxyProtocol#awaitHeader} and
 * {@link ProxyProtocol#afterHeader} wait for it.
 * {@code receive()} emits the bytes after the header, as they came (the buffer holding the header's end is passed on
 * with its reader index past it); {@code send} waits for the header, so nothing is written to a peer not yet checked.
 *
 * <p>A header that breaks the specification, one that does not arrive in full within {@link #headerTimeout()}, a
 * missing one where it is required, or one from a source the {@linkplain Builder#trustedSources predicate} does not
 * trust, is refused as the specification says: the connection is closed with nothing passed on, one WARN line names
 * the connection, its transport peer and what was wrong, {@code receive()} and pending sends fail with a
 * {@link ProxyProtocolException}, and everything held is released. A peer that closes without sending a byte (a TCP
 * health check) is refused with a DEBUG line only.
 *
 * <p>Ownership: buffers from the lower connection become this filter's; header bytes split over reads are copied
 * into one buffer of the connection's budget, at most {@link #maxV2HeaderLength()} (or 107) bytes, released once
 * parsed. Every buffer {@code receive()} emits is its subscriber's; {@code send} takes ownership of every buffer of
 * its publisher (released here if the header was refused). Everything held is released on refusal, on cancellation
 * once the header is decided, when the lower stream ends or fails, and when the connection closes unread.
 *
 * <p>Security: only accept the header from your proxies. With the default settings every connection must start with
 * a header, so the port must be reachable only through the proxy, or {@link Builder#trustedSources} must name it;
 * otherwise any client can claim any address. {@link Builder#required(boolean) required(false)} also accepts
 * connections without a header (the specification forbids guessing, and it defeats the point for direct clients,
 * who then appear as themselves: they can hide nothing, but a proxy that forgot its header goes unnoticed); use it
 * only while migrating, and together with a trusted-source predicate.
 */
public final class ProxyProtocolServer implements Filter {

    /** Default: 5 s to receive the whole header (the specification advises at least 3 s, a TCP retransmit). */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
    /** Default: version 2 headers of at most 4 KiB, the 16 fixed bytes included (the format allows 65,551). */
    public static final int DEFAULT_MAX_V2_HEADER_LENGTH = 4096;
    /** The smallest limit allowed: a header with AF_UNIX addresses and no TLV. */
    public static final int MIN_V2_HEADER_LENGTH = V2Parser.FIXED_LENGTH + 2 * V2Parser.UNIX_ADDRESS_LENGTH;
    /** The largest header the format can express. */
    public static final int MAX_V2_HEADER_LENGTH = V2Parser.FIXED_LENGTH + 0xFFFF;

    private final Set<ProxyVersion> versions;
    private final boolean required;
    private final Duration headerTimeout;
    private final int maxV2HeaderLength;
    private final Predicate<? super SocketAddress> trustedSources;

    private ProxyProtocolServer(Builder b) {
        if (b.versions.isEmpty()) {
            throw new IllegalArgumentException("at least one PROXY protocol version must be accepted");
        }
        if (b.headerTimeout.isNegative() || b.headerTimeout.isZero()) {
            throw new IllegalArgumentException("header timeout must be positive, got " + b.headerTimeout);
        }
        if (b.maxV2HeaderLength < MIN_V2_HEADER_LENGTH || b.maxV2HeaderLength > MAX_V2_HEADER_LENGTH) {
            throw new IllegalArgumentException("max v2 header length must be " + MIN_V2_HEADER_LENGTH + "-"
                    + MAX_V2_HEADER_LENGTH + ", got " + b.maxV2HeaderLength);
        }
        this.versions = Collections.unmodifiableSet(EnumSet.copyOf(b.versions));
        this.required = b.required;
        this.headerTimeout = b.headerTimeout;
        this.maxV2HeaderLength = b.maxV2HeaderLength;
        this.trustedSources = b.trustedSources;
    }

    /** Both versions, required, 5 s, 4 KiB, every source trusted. */
    public static ProxyProtocolServer defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<ProxyVersion> versions() {
        return versions;
    }

    public boolean required() {
        return required;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public int maxV2HeaderLength() {
        return maxV2HeaderLength;
    }

    boolean trusts(SocketAddress transportPeer) {
        return trustedSources == null || trustedSources.test(transportPeer);
    }

    @Override
    public Connection apply(Connection lower) {
        return new ProxiedConnection(lower, this);
    }

    @Override
    public String toString() {
        return "ProxyProtocolServer[" + versions + (required ? ", required" : ", optional") + ", timeout "
                + headerTimeout + ", max v2 " + maxV2HeaderLength + (trustedSources != null ? ", trusted sources" : "")
                + "]";
    }

    /** Settings of a {@link ProxyProtocolServer}; checked by {@link #build()}. */
    public static final class Builder {
        private Set<ProxyVersion> versions = EnumSet.allOf(ProxyVersion.class);
        private boolean required = true;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private int maxV2HeaderLength = DEFAULT_MAX_V2_HEADER_LENGTH;
        private Predicate<? super SocketAddress> trustedSources;

        private Builder() {
        }

        /** The versions accepted, told apart by their first bytes; default both. A header of another is refused. */
        public Builder versions(ProxyVersion first, ProxyVersion... rest) {
            this.versions = EnumSet.of(first, rest);
            return this;
        }

        /**
         * Whether every connection must start with a header (default true, as the specification requires). With
         * false, a connection whose first bytes are neither signature is passed on whole, with the transport's
         * addresses; see the security note on {@link ProxyProtocolServer}.
         */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /** How long the whole header may take to arrive from the filter's start; default 5 s. */
        public Builder headerTimeout(Duration headerTimeout) {
            this.headerTimeout = Objects.requireNonNull(headerTimeout, "headerTimeout");
            return this;
        }

        /**
         * The longest version 2 header accepted, fixed part and TLVs included; default 4 KiB, allowed
         * 232 (AF_UNIX addresses) to 65,551. A longer one is refused as soon as its length field arrives.
         */
        public Builder maxV2HeaderLength(int maxV2HeaderLength) {
            this.maxV2HeaderLength = maxV2HeaderLength;
            return this;
        }

        /**
         * Which transport peers (the proxies, as the socket sees them; null for a transport without addresses) may
         * send a header; default every one. A
         * header from any other is refused; with {@code required(false)}, their connections without a header are
         * accepted as they are.
         */
        public Builder trustedSources(Predicate<? super SocketAddress> trustedSources) {
            this.trustedSources = Objects.requireNonNull(trustedSources, "trustedSources");
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public ProxyProtocolServer build() {
            return new ProxyProtocolServer(this);
        }
    }
}
