package io.sluice.filters.tls;

import io.sluice.api.ConnectionInfo;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Turns {@link TlsOptions} into {@link SSLEngine}s, one per connection, on the chosen {@link TlsProvider}, and keeps
 * the key and trust material current.
 *
 * <p>{@link #newEngine(ConnectionInfo)} returns an engine in client or server mode with every parameter set; it
 * reads no file and never blocks, so the TLS filter calls it on the connection's event loop. A server engine
 * presents the certificate chosen by the client's SNI name; a client engine sends the {@code serverName} option, or
 * else the host string of the connection's remote address, in SNI (host names only) and verifies it against the
 * server's certificate.
 *
 * <p>Reloading: {@link #reload()} reads every file again and, if all of it is good, swaps in engines made from the
 * new material; with a reload interval, a background thread (Reactor's bounded-elastic scheduler, never an event
 * loop) checks the files' modification time, size and identity and reloads once they have changed and then stayed
 * the same for one more interval (so that half-written files are not read). New handshakes use the new material;
 * connections already set up keep theirs. Material that fails to load is logged once and the previous material stays
 * in use.
 *
 * <p>Ownership: the caller of {@link #newEngine} owns the engine; with {@link TlsProvider#OPENSSL} it is
 * {@link io.netty.util.ReferenceCounted} and must be released once. The context owns its native resources and frees
 * them on {@link #close()} (engines already made stay usable). No buffers cross this class.
 */
public final class TlsContext implements TlsEngineSource, AutoCloseable {

    private final TlsOptions options;
    /** The generation new engines come from; null once closed. */
    private final AtomicReference<Generation> current;
    private final Disposable.Swap polling = Disposables.swap();
    /** Files seen changed at the last poll, reloaded only if still the same at the next (written completely). */
    private volatile FileStamp changedStamp;
    /** Files that failed to load, not tried again until they change. */
    private volatile FileStamp failedStamp;

    private TlsContext(TlsOptions options, Generation first) {
        this.options = options;
        this.current = new AtomicReference<>(first);
    }

    /**
     * Sets up the provider from what {@code options} read when built (CPU work, no file I/O) and starts the reload
     * timer if one is configured.
     *
     * @throws IllegalArgumentException if the provider refuses the options (an unsupported cipher suite, say)
     */
    public static TlsContext create(TlsOptions options) {
        TlsContext context = new TlsContext(options, build(options, options.initialMaterial()));
        long interval = options.reloadInterval().toMillis();
        if (interval > 0 && !options.files().isEmpty()) {
            context.polling.update(Schedulers.boundedElastic().schedulePeriodically(context::poll, interval, interval,
                    TimeUnit.MILLISECONDS));
        }
        return context;
    }

    public TlsOptions options() {
        return options;
    }

    /**
     * A new engine for the connection {@code info} describes. Never blocks.
     *
     * @throws IllegalStateException if this context is closed, or a client that verifies host names has no host
     *     name (no {@code serverName} option and a remote address that is not a host and port)
     */
    @Override
    public SSLEngine newEngine(ConnectionInfo info) {
        SocketAddress remote = info.remoteAddress();
        String host = remote instanceof InetSocketAddress inet ? inet.getHostString() : null;
        int port = remote instanceof InetSocketAddress inet ? inet.getPort() : -1;
        if (options.role() == TlsOptions.Role.CLIENT) {
            host = options.serverName().orElse(host);
            if (host == null && options.hostnameVerification()) {
                throw new IllegalStateException("TLS client on connection " + info.id() + " has no server name to "
                        + "verify: set TlsOptions serverName(...) or connect to a host and port");
            }
        }
        for (;;) {
            Generation generation = current.get();
            if (generation == null) {
                throw new IllegalStateException("TlsContext is closed: " + options);
            }
            if (generation.tryAcquire()) {
                try {
                    return generation.newEngine(host, port);
                } finally {
                    generation.release();
                }
            }
            // a reload retired that generation between the read and the acquire: the next read sees its successor
        }
    }

    /**
     * Reads the key and trust files again now and, if they are all good, makes new handshakes use them. Blocking
     * file I/O: call it from a thread that may block, not an event loop.
     *
     * @throws IllegalArgumentException naming the option and the file if the new material is bad; the previous
     *     material then stays in use
     * @throws IllegalStateException if this context is closed
     */
    public void reload() {
        Generation next = build(options, MaterialSnapshot.load(options));
        for (;;) {
            Generation old = current.get();
            if (old == null) {
                next.release();
                throw new IllegalStateException("TlsContext is closed: " + options);
            }
            if (current.compareAndSet(old, next)) {
                old.release();
                failedStamp = null;
                return;
            }
        }
    }

    /** Stops the reload timer and frees the provider's context; engines already made keep working. Idempotent. */
    @Override
    public void close() {
        polling.dispose();
        Generation old = current.getAndSet(null);
        if (old != null) {
            old.release();
        }
    }

    private void poll() {
        Generation generation = current.get();
        if (generation == null) {
            return;
        }
        FileStamp now = FileStamp.of(options.files());
        if (now.equals(generation.stamp()) || now.equals(failedStamp)) {
            changedStamp = null;
            return;
        }
        if (!now.equals(changedStamp)) {
            changedStamp = now; // still being written, perhaps: wait one interval for the files to settle
            return;
        }
        Logger log = Loggers.getLogger(TlsContext.class);
        try {
            reload();
            log.info("TLS material reloaded: {}", options);
        } catch (RuntimeException e) {
            if (current.get() != null) {
                failedStamp = now;
                log.warn("TLS material changed but cannot be loaded; still using the previous material: {}",
                        e.getMessage());
            }
        }
    }

    private static Generation build(TlsOptions options, MaterialSnapshot material) {
        try {
            EngineFactory engines = switch (options.provider()) {
                case JDK, BOUNCY_CASTLE -> JsseEngines.create(options, material);
                case OPENSSL -> OpenSslEngines.create(options, material);
            };
            return new Generation(engines, material.stamp());
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalArgumentException("TLS provider " + options.provider() + " refuses the key or trust "
                    + "material of " + options + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return "TlsContext[" + options + "]";
    }
}
