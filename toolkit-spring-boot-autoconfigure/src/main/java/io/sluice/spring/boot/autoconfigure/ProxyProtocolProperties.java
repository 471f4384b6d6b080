package io.sluice.spring.boot.autoconfigure;

import io.sluice.filters.proxy.ProxyProtocolServer;
import io.sluice.filters.proxy.ProxyVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.util.unit.DataSize;

/**
 * The PROXY protocol header a load balancer puts before each connection's first byte, under
 * {@code sluice.servers.<name>.proxy-protocol} ({@link io.sluice.filters.proxy.ProxyProtocolServer}); off unless
 * enabled. Read nearest the socket, before TLS; the handler then sees the client the header announces.
 */
public class ProxyProtocolProperties {

    /** Whether every connection starts with a PROXY protocol header to read. */
    private boolean enabled;

    /** The versions accepted: v1 (text), v2 (binary) or both. */
    private Set<ProxyVersion> versions = EnumSet.allOf(ProxyVersion.class);

    /** Whether a connection without a header is refused, as the specification asks; false only for migrations. */
    private boolean required = true;

    /** How long the whole header may take to arrive. */
    private Duration headerTimeout = ProxyProtocolServer.DEFAULT_HEADER_TIMEOUT;

    /** The largest version 2 header accepted, its 16 fixed bytes included. */
    private DataSize maxV2HeaderLength = DataSize.ofBytes(4096);

    /**
     * Addresses ({@code 10.0.0.7}) or CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}) of the balancers whose
     * headers are trusted; a header from any other source is refused. Empty: every source is trusted.
     */
    private List<String> trustedSources = new ArrayList<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Set<ProxyVersion> getVersions() {
        return versions;
    }

    public void setVersions(Set<ProxyVersion> versions) {
        this.versions = versions;
    }

    public boolean isRequired() {
        return required;
    }

    public void setRequired(boolean required) {
        this.required = required;
    }

    public Duration getHeaderTimeout() {
        return headerTimeout;
    }

    public void setHeaderTimeout(Duration headerTimeout) {
        this.headerTimeout = headerTimeout;
    }

    public DataSize getMaxV2HeaderLength() {
        return maxV2HeaderLength;
    }

    public void setMaxV2HeaderLength(DataSize maxV2HeaderLength) {
        this.maxV2HeaderLength = maxV2HeaderLength;
    }

    public List<String> getTrustedSources() {
        return trustedSources;
    }

    public void setTrustedSources(List<String> trustedSources) {
        this.trustedSources = trustedSources;
    }
}
