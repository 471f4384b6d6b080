package io.sluice.filters.tls;

import io.netty.util.ReferenceCountUtil;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.Filter;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * TLS as a {@link Filter}: an {@link SSLEngine} driven as a reactive operator over the lower connection's byte
 * streams, in both directions, client or server.
 *
 * <pre>{@code
 * TlsFilter server = Tls.server(TlsOptions.server().keyMaterial(KeyMaterial.pem(chain, key)).build());
 * TlsFilter client = Tls.client(TlsOptions.client().trust(TrustMaterial.pem(ca)).build());
 * Filter custom = Tls.over(info -> sslContext.createSSLEngine(), TlsDriverSettings.defaults());
 * }</pre>
 *
 * <p>The handshake starts as soon as the filter is applied, whether or not the application reads or writes. The
 * upper connection's {@code send} data waits for it, then is encrypted in order; its {@code receive()} decrypts
 * only as its subscriber asks. Once the handshake has completed, the upper connection's {@link Connection#info()}
 * carries {@link #SESSION} and, when ALPN chose one, {@link #APPLICATION_PROTOCOL}.
 *
 * <p>Buffer ownership follows {@link Connection}: {@code send} takes ownership of every plaintext buffer and
 * releases it once encrypted; each decrypted buffer {@code receive()} emits belongs to its subscriber. Encrypted
 * records and engine buffers come from the lower connection's budget and are released as soon as they are written
 * or decrypted, so an idle TLS connection holds no buffer at all.
 *
 * <p>Closing the upper connection sends {@code close_notify} after the sends already queued, then closes the lower
 * one (bounded by {@link TlsDriverSettings#closeNotifyTimeout()}). A peer's {@code close_notify} completes
 * {@code receive()}; the lower connection ending without one fails it with a {@link TlsTruncationException}. A
 * failed handshake fails {@code receive()} and every pending {@code send} with a {@link TlsHandshakeException};
 * every failure sends the engine's alert when it made one, logs one WARN line naming the connection, closes the
 * connection and releases everything it held. Renegotiation (TLS 1.2 and older) is refused.
 */
public final class Tls {

    /** The session, in the upper connection's info once the handshake has completed. */
    public static final ConnectionInfo.Key<SSLSession> SESSION = ConnectionInfo.Key.of("tls.session");

    /** The protocol ALPN chose, in the upper connection's info once the handshake has completed; absent without ALPN. */
    public static final ConnectionInfo.Key<String> APPLICATION_PROTOCOL =
            ConnectionInfo.Key.of("tls.application-protocol");

    private Tls() {
    }

    /**
     * The server side of TLS as {@code options} describe it (a {@link TlsOptions#server()} build): its own
     * {@link TlsContext}, its handshake and close_notify timeouts. Building the context does no file I/O (the options
     * read their files when built), so this may run anywhere; close the returned filter when done with it.
     *
     * @throws IllegalArgumentException if {@code options} are client options, or the provider refuses them
     */
    public static TlsFilter server(TlsOptions options) {
        return of(options, TlsOptions.Role.SERVER);
    }

    /**
     * The client side of TLS as {@code options} describe it (a {@link TlsOptions#client()} build); see
     * {@link #server(TlsOptions)}.
     */
    public static TlsFilter client(TlsOptions options) {
        return of(options, TlsOptions.Role.CLIENT);
    }

    private static TlsFilter of(TlsOptions options, TlsOptions.Role role) {
        Objects.requireNonNull(options, "options");
        if (options.role() != role) {
            throw new IllegalArgumentException("Tls." + role.name().toLowerCase(java.util.Locale.ROOT)
                    + "(...) needs TlsOptions." + role.name().toLowerCase(java.util.Locale.ROOT) + "() options, got "
                    + options.role().name().toLowerCase(java.util.Locale.ROOT) + " options");
        }
        return new TlsFilter(TlsContext.create(options));
    }

    /**
     * A filter that takes one engine per connection from {@code engines} and drives it with {@code settings}.
     * The engine arrives configured (client or server mode, protocols, ALPN, client authentication); the driver
     * owns it from then on and releases it, if it is reference-counted, when the connection ends.
     */
    public static Filter over(TlsEngineSource engines, TlsDriverSettings settings) {
        Objects.requireNonNull(engines, "engines");
        Objects.requireNonNull(settings, "settings");
        return lower -> {
            SSLEngine engine = Objects.requireNonNull(engines.newEngine(lower.info()), "the engine source returned null");
            try {
                return new TlsConnection(lower, engine, settings);
            } catch (RuntimeException | Error e) {
                ReferenceCountUtil.release(engine);
                throw e;
            }
        };
    }
}
