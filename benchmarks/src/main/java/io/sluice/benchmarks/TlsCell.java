package io.sluice.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One measured cell of the TLS comparison: the load's report, the CPU time of the server's process and of the
 * load generator's over the measured window ({@link ProcessCpu}; -1 if unknown) and the machine's 1-minute load
 * average when it ended, which says how much other work shared the two cores.
 */
record TlsCell<T>(T report, long serverCpuNanos, long clientCpuNanos, double loadAverage) {

    /** The 1-minute load average from {@code /proc/loadavg}; NaN where there is none. */
    static double loadAverageNow() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return Double.NaN;
        }
    }
}
