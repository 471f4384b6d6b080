package io.sluice.benchmarks;

import io.sluice.samples.LoadReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything one run of {@link Compare} measured, and its rendering as Markdown tables. */
public record Comparison(List<EchoKind> kinds, List<Cell> cells, Map<EchoKind, IdleFigures> idle) {

    public Comparison(List<EchoKind> kinds) {
        this(kinds, new ArrayList<>(), new EnumMap<>(EchoKind.class));
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Throughput (closed loop, one message in flight per connection)\n\n");
        md.append("| connections | size | server | msgs/s | MiB/s | p50 us | p99 us | p99.9 us | failures |\n");
        md.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Cell cell : cells) {
            for (EchoKind kind : kinds) {
                LoadReport r = cell.reports().get(kind);
                if (r != null) {
                    md.append(String.format(Locale.ROOT, "| %d | %d B | %s | %.0f | %.2f | %.1f | %.1f | %.1f | %d |%n",
                            cell.connections(), cell.size(), kind.label(), r.msgsPerSec(), r.mibPerSec(),
                            r.percentileMicros(50), r.percentileMicros(99), r.percentileMicros(99.9),
                            r.failures()));
                }
            }
        }
        md.append("\n### Throughput ratios (msgs/s; target: Sluice >= 0.95x Reactor Netty)\n\n");
        List<EchoKind> sluices = kinds.stream()
                .filter(k -> k == EchoKind.SLUICE).toList();
        md.append("| connections | size |");
        for (EchoKind s : sluices) {
            md.append(' ').append(s.label()).append("/reactor | ").append(s.label()).append("/netty |");
        }
        md.append("\n|---:|---:|").append("---:|---:|".repeat(sluices.size())).append('\n');
        for (Cell cell : cells) {
            md.append(String.format(Locale.ROOT, "| %d | %d B |", cell.connections(), cell.size()));
            for (EchoKind s : sluices) {
                md.append(String.format(Locale.ROOT, " %.3f | %.3f |", cell.ratio(s, EchoKind.REACTOR),
                        cell.ratio(s, EchoKind.NETTY)));
            }
            md.append('\n');
        }
        if (!idle.isEmpty()) {
            md.append("\n### Idle connections: server heap after full GC\n\n");
            md.append("| server | connections | heap base | heap loaded | heap after close | heap B/conn "
                    + "| B/conn vs after close | direct B/conn | heap vs reactor | heap vs netty |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            IdleFigures reactor = idle.get(EchoKind.REACTOR);
            IdleFigures netty = idle.get(EchoKind.NETTY);
            for (EchoKind kind : kinds) {
                IdleFigures f = idle.get(kind);
                if (f != null) {
                    md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.0f | %.0f | %.0f | %s | %s |%n",
                            kind.label(), f.connections(), f.baseHeap(), f.loadedHeap(), f.afterHeap(),
                            f.heapPerConnection(), f.heapPerConnectionVsAfter(), f.directPerConnection(), ratio(f, reactor), ratio(f, netty)));
                }
            }
        }
        return md.toString();
    }

    private static String ratio(IdleFigures a, IdleFigures b) {
        return b == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", a.heapPerConnection() / b.heapPerConnection());
    }
}
