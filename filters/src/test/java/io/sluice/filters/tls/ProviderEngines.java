package io.sluice.filters.tls;

import io.netty.util.ReferenceCounted;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLEngine;

/**
 * Engine sources made the way applications make them, from {@link TlsOptions}, on the providers of one
 * {@link ProviderPair}, with the committed fixtures (see {@code src/test/resources/tls/README.md}): a server presenting
 * {@code server.pem}, a client trusting {@code ca.pem} and verifying the name {@code localhost}.
 *
 * <pre>{@code
 * @AutoClose
 * private final ProviderEngines engines = new ProviderEngines(providers);
 * TlsPipe p = TlsPipe.create(Chunking.whole(), engines.client("TLSv1.3"), engines.server("TLSv1.3"), settings);
 * }</pre>
 *
 * <p>{@link #close()} closes every context made, after checking that every reference-counted engine handed out
 * (OpenSSL's) was released by the driver that took it, waiting a little for connections still closing. No buffers
 * cross this class.
 */
final class ProviderEngines implements AutoCloseable {

    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

    final ProviderPair providers;
    private final List<TlsContext> contexts = new CopyOnWriteArrayList<>();
    private final List<ReferenceCounted> engines = new CopyOnWriteArrayList<>();
    private final Map<String, TlsEngineSource> byProtocol = new ConcurrentHashMap<>();

    ProviderEngines(ProviderPair providers) {
        this.providers = providers;
    }

    /** A server on the pair's server provider presenting {@code server.pem}, then {@code settings}. */
    TlsEngineSource server(UnaryOperator<TlsOptions.Builder> settings) {
        return tracked(TlsContext.create(settings.apply(TlsOptions.server().provider(providers.server())
                .keyMaterial(Fixtures.SERVER_RSA)).build()));
    }

    /** A client on the pair's client provider trusting the test CA and verifying {@code localhost}, then {@code settings}. */
    TlsEngineSource client(UnaryOperator<TlsOptions.Builder> settings) {
        return tracked(TlsContext.create(settings.apply(TlsOptions.client().provider(providers.client())
                .trust(Fixtures.CA).serverName("localhost")).build()));
    }

    /** The server on {@code protocol} only; one context per protocol, however often asked (sweeps ask per run). */
    TlsEngineSource server(String protocol) {
        return byProtocol.computeIfAbsent("server " + protocol, key -> server(s -> s.protocols(protocol)));
    }

    /** The client on {@code protocol} only; one context per protocol. */
    TlsEngineSource client(String protocol) {
        return byProtocol.computeIfAbsent("client " + protocol, key -> client(c -> c.protocols(protocol)));
    }

    private TlsEngineSource tracked(TlsContext context) {
        contexts.add(context);
        return info -> {
            SSLEngine engine = context.newEngine(info);
            if (engine instanceof ReferenceCounted counted) {
                engines.add(counted);
            }
            return engine;
        };
    }

    /** Closes the contexts; fails if an engine a driver took was not released. */
    @Override
    public void close() {
        try {
            long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
            while (engines.stream().anyMatch(e -> e.refCnt() > 0) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            long unreleased = engines.stream().filter(e -> e.refCnt() > 0).count();
            if (unreleased > 0) {
                throw new AssertionError(unreleased + " of " + engines.size() + " " + providers
                        + " engines not released by their drivers");
            }
        } finally {
            engines.stream().filter(e -> e.refCnt() > 0).forEach(e -> e.release(e.refCnt())); // reported once
            contexts.forEach(TlsContext::close);
        }
    }

    @Override
    public String toString() {
        return providers.toString();
    }
}
