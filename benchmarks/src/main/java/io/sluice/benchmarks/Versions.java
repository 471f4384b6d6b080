package io.sluice.benchmarks;

import io.netty.handler.ssl.OpenSsl;
import io.netty.util.Version;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/** The versions a TLS run depends on, for the record. */
final class Versions {

    private Versions() {
    }

    static String describe() {
        String netty = Version.identify().getOrDefault("netty-handler", null) == null ? "?"
                : Version.identify().get("netty-handler").artifactVersion();
        String reactorNetty = reactor.netty.tcp.TcpServer.class.getPackage().getImplementationVersion();
        String openSsl;
        try {
            openSsl = OpenSsl.isAvailable() ? OpenSsl.versionString() + " (netty-tcnative "
                    + Class.forName("io.netty.internal.tcnative.SSL").getPackage().getImplementationVersion() + ")"
                    : "unavailable";
        } catch (LinkageError | ClassNotFoundException e) {
            openSsl = "unavailable";
        }
        return "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), Netty "
                + netty + ", Reactor Netty " + reactorNetty + ", Bouncy Castle "
                + new org.bouncycastle.jce.provider.BouncyCastleProvider().getVersionStr() + " (JSSE provider "
                + new BouncyCastleJsseProvider().getVersionStr() + "), OpenSSL provider " + openSsl;
    }
}
