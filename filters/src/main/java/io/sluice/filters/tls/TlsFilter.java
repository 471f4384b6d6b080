package io.sluice.filters.tls;

import io.sluice.api.Connection;
import io.sluice.api.Filter;
import java.util.Objects;

/**
 * A TLS {@link Filter} made from {@link TlsOptions} by {@link Tls#server(TlsOptions)} or {@link Tls#client(TlsOptions)}.
 * It owns the {@link TlsContext} its engines come from: {@link #reload()} re-reads the key and trust material for
 * new handshakes, and {@link #close()} frees the context's native resources (OpenSSL) and stops file polling. Close
 * it once nothing applies the filter any more, for instance when the server using it has shut down:
 *
 * <pre>{@code
 * TlsFilter tls = Tls.server(TlsOptions.server().keyMaterial(KeyMaterial.pem(chain, key)).build());
 * Server server = Server.tcp().filter(tls).handler(handler).bind().block();
 * server.onShutdown().doFinally(s -> tls.close()).subscribe();
 * }</pre>
 *
 * <p>Connections already set up keep their engines after {@link #close()}; applying the filter afterwards fails with
 * {@link IllegalStateException}. Buffer ownership is that of {@link Tls}.
 */
public final class TlsFilter implements Filter, AutoCloseable {

    private final TlsContext context;
    private final Filter driver;

    TlsFilter(TlsContext context) {
        this.context = Objects.requireNonNull(context, "context");
        TlsOptions options = context.options();
        this.driver = Tls.over(context, TlsDriverSettings.defaults()
                .withHandshakeTimeout(options.handshakeTimeout())
                .withCloseNotifyTimeout(options.closeNotifyTimeout()));
    }

    @Override
    public Connection apply(Connection lower) {
        return driver.apply(lower);
    }

    /** The context new engines come from. */
    public TlsContext context() {
        return context;
    }

    /** Reads the key and trust material again; new handshakes use it, established connections keep theirs. */
    public void reload() {
        context.reload();
    }

    /** Frees the context (idempotent). */
    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return "TlsFilter[" + context + "]";
    }
}
