package io.sluice.benchmarks;

import io.sluice.samples.LoadReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything one run of {@link CompareWebSocket} measured, and its rendering as Markdown tables. */
public record WebSocketComparison(List<EchoKind> kinds, List<DeflateCell> cells, Map<EchoKind, IdleFigures> idle) {

    /**
     * A throughput cell with or without permessage-deflate, and per kind the CPU time of the server's process and of
     * the load generator's over the measured window, with the load average at its end.
     */
    public record DeflateCell(boolean deflate, Cell cell, Map<EchoKind, TlsCell<LoadReport>> cpu) {

        public DeflateCell(boolean deflate, Cell cell) {
            this(deflate, cell, Map.of());
        }

        /** CPU microseconds per echoed message of the server (or the load generator); NaN if unknown. */
        double cpuMicrosPerMessage(EchoKind kind, boolean server) {
            TlsCell<LoadReport> c = cpu.get(kind);
            long nanos = c == null ? -1 : server ? c.serverCpuNanos() : c.clientCpuNanos();
            return nanos < 0 || c.report().messages() == 0 ? Double.NaN : nanos / 1e3 / c.report().messages();
        }

        double loadAverage(EchoKind kind) {
            TlsCell<LoadReport> c = cpu.get(kind);
            return c == null ? Double.NaN : c.loadAverage();
        }
    }

    public WebSocketComparison(List<EchoKind> kinds) {
        this(kinds, new ArrayList<>(), new EnumMap<>(EchoKind.class));
    }

    /** The echo tables (when any cell was measured), then the idle-memory table (when measured). */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        if (!cells.isEmpty()) {
            appendEcho(md);
        }
        if (!idle.isEmpty()) {
            appendIdle(md);
        }
        return md.toString();
    }

    private void appendEcho(StringBuilder md) {
        md.append("### WebSocket echo (binary messages, closed loop, one message in flight per connection)\n\n");
        md.append("| deflate | connections | size | server | msgs/s | MiB/s | p50 us | p99 us | p99.9 us "
                + "| failures |\n");
        md.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (DeflateCell dc : cells) {
            Cell cell = dc.cell();
            for (EchoKind kind : kinds) {
                LoadReport r = cell.reports().get(kind);
                if (r != null) {
                    md.append(String.format(Locale.ROOT,
                            "| %s | %d | %d B | %s | %.0f | %.2f | %.1f | %.1f | %.1f | %d |%n",
                            dc.deflate() ? "on" : "off", cell.connections(), cell.size(), kind.label(),
                            r.msgsPerSec(), r.mibPerSec(), r.percentileMicros(50), r.percentileMicros(99),
                            r.percentileMicros(99.9), r.failures()));
                }
            }
        }
        md.append("\n### CPU time per echoed message (server process; load generator process), load average\n\n");
        md.append("| deflate | connections | size | server | server us/msg | client us/msg | load average |\n");
        md.append("|---|---:|---:|---|---:|---:|---:|\n");
        for (DeflateCell dc : cells) {
            Cell cell = dc.cell();
            for (EchoKind kind : kinds) {
                if (cell.reports().containsKey(kind)) {
                    md.append(String.format(Locale.ROOT, "| %s | %d | %d B | %s | %.2f | %.2f | %.1f |%n",
                            dc.deflate() ? "on" : "off", cell.connections(), cell.size(), kind.label(),
                            dc.cpuMicrosPerMessage(kind, true), dc.cpuMicrosPerMessage(kind, false),
                            dc.loadAverage(kind)));
                }
            }
        }
        md.append("\n### Sluice / Reactor Netty (target: msgs/s >= 1.0x)\n\n");
        md.append("| deflate | connections | size | msgs/s ratio | p99 ratio (lower is better) "
                + "| server CPU/msg ratio (lower is better) |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (DeflateCell dc : cells) {
            Cell cell = dc.cell();
            LoadReport s = cell.reports().get(EchoKind.SLUICE);
            LoadReport r = cell.reports().get(EchoKind.REACTOR);
            double p99 = s == null || r == null || r.percentileMicros(99) == 0 ? Double.NaN
                    : s.percentileMicros(99) / r.percentileMicros(99);
            double cpu = dc.cpuMicrosPerMessage(EchoKind.SLUICE, true)
                    / dc.cpuMicrosPerMessage(EchoKind.REACTOR, true);
            md.append(String.format(Locale.ROOT, "| %s | %d | %d B | %.3f | %.3f | %.3f |%n",
                    dc.deflate() ? "on" : "off", cell.connections(), cell.size(),
                    cell.ratio(EchoKind.SLUICE, EchoKind.REACTOR), p99, cpu));
        }
    }

    private void appendIdle(StringBuilder md) {
        md.append(md.isEmpty() ? "" : "\n")
                .append("### Idle WebSocket connections: server memory (target: Sluice <= 1.0x Reactor Netty)\n\n");
        md.append("| server | connections | heap base | heap loaded | heap after close | heap B/conn "
                + "| B/conn vs after close | direct B/conn | heap vs reactor | direct vs reactor |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        IdleFigures reactor = idle.get(EchoKind.REACTOR);
        for (EchoKind kind : kinds) {
            IdleFigures f = idle.get(kind);
            if (f != null) {
                md.append(String.format(Locale.ROOT,
                        "| %s | %d | %d | %d | %d | %.0f | %.0f | %.0f | %s | %s |%n",
                        kind.label(), f.connections(), f.baseHeap(), f.loadedHeap(), f.afterHeap(),
                        f.heapPerConnection(), f.heapPerConnectionVsAfter(), f.directPerConnection(),
                        reactor == null ? "n/a" : ratio(f.heapPerConnection(), reactor.heapPerConnection()),
                        reactor == null ? "n/a" : ratio(f.directPerConnection(), reactor.directPerConnection())));
            }
        }
    }

    private static String ratio(double a, double b) {
        return b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", a / b);
    }
}
