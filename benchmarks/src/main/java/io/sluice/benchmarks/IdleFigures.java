package io.sluice.benchmarks;

/**
 * One kind's idle-connection measurement: server heap after full GC with no connections ({@code base}), with
 * {@code connections} idle ones ({@code loaded}), and once they closed again ({@code after}, a leak check); the
 * direct memory Netty's allocator had handed out and the process's resident set at the first two points.
 */
public record IdleFigures(EchoKind kind, int connections, long baseHeap, long loadedHeap, long afterHeap,
        long baseDirect, long loadedDirect, long baseRss, long loadedRss) {

    public double heapPerConnection() {
        return (loadedHeap - baseHeap) / (double) connections;
    }

    /**
     * The same against the heap once the connections closed. In practice the baseline taken before is a few MB
     * higher than the one after (for every kind, plain Netty included), so the two figures bracket the truth.
     */
    public double heapPerConnectionVsAfter() {
        return (loadedHeap - afterHeap) / (double) connections;
    }

    public double directPerConnection() {
        return (loadedDirect - baseDirect) / (double) connections;
    }

    /**
     * Growth of the resident set per connection: heap pages first touched, direct and native memory (OpenSSL's
     * sessions, which neither heap nor Netty's direct count shows). Only meaningful with a pre-touched heap.
     */
    public double rssPerConnection() {
        return (loadedRss - baseRss) / (double) connections;
    }
}
