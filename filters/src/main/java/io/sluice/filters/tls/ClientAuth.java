package io.sluice.filters.tls;

/** Whether a TLS server asks its clients for a certificate (mutual TLS). */
public enum ClientAuth {

    /** The server does not ask for a client certificate. The default. */
    NONE,

    /**
     * The server asks for a certificate and verifies one that is sent against its trust material, but accepts a
     * client that sends none. A client certificate that does not verify fails the handshake.
     */
    OPTIONAL,

    /** The handshake fails unless the client presents a certificate that verifies against the server's trust. */
    REQUIRE
}
