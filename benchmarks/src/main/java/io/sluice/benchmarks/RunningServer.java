package io.sluice.benchmarks;

/** An echo server started by {@link BenchServer}, whatever it is built on. */
interface RunningServer {

    int port();

    /** Stops accepting, closes connections and releases the event loops; blocks until done. */
    void stop();
}
