package io.sluice.spring.boot.autoconfigure;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.sluice.filters.proxy.ProxyProtocolServer;
import io.sluice.filters.proxy.ProxyVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Makes the PROXY protocol filter of one server's settings; a value it refuses names its property. */
final class ProxyProtocolFilters {

    private ProxyProtocolFilters() {
    }

    /** The filter, or null when {@code proxy-protocol.enabled} is false. */
    static ProxyProtocolServer create(PropertyCheck at, ProxyProtocolProperties settings) {
        if (!settings.isEnabled()) {
            return null;
        }
        ProxyProtocolServer.Builder filter = ProxyProtocolServer.builder();
        if (settings.getVersions() == null || settings.getVersions().isEmpty()) {
            throw at.invalid("proxy-protocol.versions", "", "name at least one of v1, v2");
        }
        Iterator<ProxyVersion> versions = settings.getVersions().iterator();
        ProxyVersion first = versions.next();
        List<ProxyVersion> rest = new ArrayList<>();
        versions.forEachRemaining(rest::add);
        filter.versions(first, rest.toArray(ProxyVersion[]::new));
        filter.required(settings.isRequired());
        at.set("proxy-protocol.header-timeout", settings.getHeaderTimeout(), v -> filter.headerTimeout(v).build());
        at.set("proxy-protocol.max-v2-header-length", settings.getMaxV2HeaderLength(),
                v -> filter.maxV2HeaderLength(at.intBytes("proxy-protocol.max-v2-header-length", v)).build());
        if (!settings.getTrustedSources().isEmpty()) {
            List<IpSubnetFilterRule> rules = new ArrayList<>();
            for (String source : settings.getTrustedSources()) {
                rules.add(rule(at, source));
            }
            filter.trustedSources(address -> trusted(rules, address));
        }
        return filter.build();
    }

    /** {@code 10.0.0.7} (one address) or {@code 10.0.0.0/8}, in Netty's subnet rule. */
    private static IpSubnetFilterRule rule(PropertyCheck at, String source) {
        String s = source.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        try {
            boolean v6 = address.contains(":");
            int bits = slash < 0 ? (v6 ? 128 : 32) : Integer.parseInt(s.substring(slash + 1));
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an IP address (host names are not resolved)");
            }
            return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw at.invalid("proxy-protocol.trusted-sources", source,
                    "an address or CIDR block such as 10.0.0.0/8 was expected: " + e.getMessage());
        }
    }

    private static boolean trusted(List<IpSubnetFilterRule> rules, SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(inet)) {
                return true;
            }
        }
        return false;
    }
}
