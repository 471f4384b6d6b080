package io.sluice.filters.tls;

import javax.net.ssl.SSLEngine;

/**
 * Makes engines from one generation of key and trust material, on one provider. Made off the event loops (it may
 * read nothing but builds contexts); {@link #newEngine} is called on any thread and must not block.
 */
interface EngineFactory {

    /**
     * A new engine with every parameter set, for a connection with this peer (host and port may be null and -1).
     * The caller owns the engine (and releases it if it is {@link io.netty.util.ReferenceCounted}).
     */
    SSLEngine newEngine(String peerHost, int peerPort);

    /** Frees what the factory holds (Netty's native context); engines already made keep working. */
    void dispose();
}
