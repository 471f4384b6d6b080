package io.sluice.benchmarks;

/**
 * One kind's idle-connection measurement: server heap after full GC with no connections ({@code base}), with
 * {@code connections} idle ones ({@code loaded}), and once they closed again ({@code after}, a leak check); and the
 * direct memory Netty's allocator had handed out at the first two points.
 */
public record IdleFigures(EchoKind kind, int connections, long baseHeap, long loadedHeap, long afterHeap,
        long baseDirect, long loadedDirect) {

    public double heapPerConnection() {
        return (loadedHeap - baseHeap) / (double) connections;
    }

    public double directPerConnection() {
        return (loadedDirect - baseDirect) / (double) connections;
    }
}
