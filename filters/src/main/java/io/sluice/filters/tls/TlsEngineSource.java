package io.sluice.filters.tls;

import io.sluice.api.ConnectionInfo;
import javax.net.ssl.SSLEngine;

/**
 * Where the TLS filter gets one {@link SSLEngine} per connection.
 *
 * <p>{@link #newEngine(ConnectionInfo)} is called once per connection, when the filter is applied, on the
 * connection's thread: it must not block. It returns an engine already in client or server mode with all its
 * parameters set (protocols, cipher suites, SNI, ALPN, client authentication, endpoint identification); the
 * driver only calls {@code beginHandshake}, {@code wrap}, {@code unwrap} and the close methods on it.
 *
 * <p>Ownership: the driver owns the returned engine. If it is {@link io.netty.util.ReferenceCounted} (Netty's
 * OpenSSL engine), the driver releases it exactly once, when the connection ends, whatever way it ends. No
 * buffers cross this interface.
 */
@FunctionalInterface
public interface TlsEngineSource {

    /** A new engine for the connection described by {@code info}; never blocks. */
    SSLEngine newEngine(ConnectionInfo info);
}
