package io.sluice.filters.tls;

import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;

/**
 * One generation of a {@link TlsContext}: the engine factory built from one {@link MaterialSnapshot}. Counted so that
 * a reload may replace it while another thread is making an engine from it: the context holds one count, each
 * engine being made holds one for the duration of the call, and the factory is disposed when the count reaches zero.
 * Lock-free: {@link #tryAcquire()} fails once the generation is retired.
 */
final class Generation {

    private final EngineFactory engines;
    private final FileStamp stamp;
    private final AtomicInteger users = new AtomicInteger(1);

    Generation(EngineFactory engines, FileStamp stamp) {
        this.engines = engines;
        this.stamp = stamp;
    }

    FileStamp stamp() {
        return stamp;
    }

    /** Takes a count, or returns false if this generation is already retired. */
    boolean tryAcquire() {
        for (int count = users.get(); count > 0; count = users.get()) {
            if (users.compareAndSet(count, count + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Makes an engine; the caller holds a count. */
    SSLEngine newEngine(String peerHost, int peerPort) {
        return engines.newEngine(peerHost, peerPort);
    }

    /** Gives back a count (the context's own when retiring); the last one disposes the factory. */
    void release() {
        if (users.decrementAndGet() == 0) {
            engines.dispose();
        }
    }
}
