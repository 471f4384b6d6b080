package io.sluice.filters.tls;

import java.util.stream.Stream;

/**
 * The providers of a server and a client that a driver test runs with: every provider with itself, and every
 * provider's server with the JDK's client (the JDK's client being the reference peer).
 */
record ProviderPair(TlsProvider server, TlsProvider client) {

    /** JDK/JDK, Bouncy Castle/Bouncy Castle, OpenSSL/OpenSSL, then Bouncy Castle and OpenSSL servers with a JDK client. */
    static Stream<ProviderPair> pairs() {
        return Stream.concat(
                Stream.of(TlsProvider.values()).map(p -> new ProviderPair(p, p)),
                Stream.of(TlsProvider.values()).filter(p -> p != TlsProvider.JDK)
                        .map(p -> new ProviderPair(p, TlsProvider.JDK)));
    }

    @Override
    public String toString() {
        return server + " server, " + client + " client";
    }
}
