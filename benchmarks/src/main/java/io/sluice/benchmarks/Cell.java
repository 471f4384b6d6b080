package io.sluice.benchmarks;

import io.sluice.samples.LoadReport;
import java.util.EnumMap;
import java.util.Map;

/** One throughput cell of the comparison: a connection count and message size, and each kind's report. */
public record Cell(int connections, int size, Map<EchoKind, LoadReport> reports) {

    public Cell(int connections, int size) {
        this(connections, size, new EnumMap<>(EchoKind.class));
    }

    /** {@code a}'s msgs/s over {@code b}'s; NaN when either was not measured. */
    public double ratio(EchoKind a, EchoKind b) {
        LoadReport ra = reports.get(a);
        LoadReport rb = reports.get(b);
        return ra == null || rb == null || rb.msgsPerSec() == 0 ? Double.NaN : ra.msgsPerSec() / rb.msgsPerSec();
    }
}
