package io.sluice.benchmarks;

import io.sluice.filters.tls.TlsProvider;
import io.sluice.samples.LoadReport;
import io.sluice.samples.TlsFlags;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Everything one run of {@link CompareTls} measured, per provider and server kind, and its Markdown rendering. */
public record TlsComparison(List<TlsProvider> providers, List<EchoKind> kinds,
        Map<TlsProvider, Map<EchoKind, TlsCell<LoadReport>>> throughput,
        Map<TlsProvider, Map<EchoKind, TlsCell<HandshakeReport>>> handshakes,
        Map<TlsProvider, Map<EchoKind, IdleFigures>> idle) {

    public TlsComparison(List<TlsProvider> providers, List<EchoKind> kinds) {
        this(providers, kinds, new EnumMap<>(TlsProvider.class), new EnumMap<>(TlsProvider.class),
                new EnumMap<>(TlsProvider.class));
    }

    /** Server CPU microseconds per echoed message; NaN when not measured. */
    double cpuMicrosPerMessage(TlsProvider provider, EchoKind kind) {
        TlsCell<LoadReport> c = get(throughput, provider, kind);
        return c == null || c.serverCpuNanos() < 0 || c.report().messages() == 0 ? Double.NaN
                : c.serverCpuNanos() / 1e3 / c.report().messages();
    }

    /** Load generator CPU microseconds per echoed message; NaN when not measured. */
    double clientCpuMicrosPerMessage(TlsProvider provider, EchoKind kind) {
        TlsCell<LoadReport> c = get(throughput, provider, kind);
        return c == null || c.clientCpuNanos() < 0 || c.report().messages() == 0 ? Double.NaN
                : c.clientCpuNanos() / 1e3 / c.report().messages();
    }

    /** Load generator CPU milliseconds per handshake; NaN when not measured. */
    double clientCpuMillisPerHandshake(TlsProvider provider, EchoKind kind) {
        TlsCell<HandshakeReport> c = get(handshakes, provider, kind);
        return c == null || c.clientCpuNanos() < 0 || c.report().handshakes() == 0 ? Double.NaN
                : c.clientCpuNanos() / 1e6 / c.report().handshakes();
    }

    /** Server CPU milliseconds per handshake; NaN when not measured. */
    double cpuMillisPerHandshake(TlsProvider provider, EchoKind kind) {
        TlsCell<HandshakeReport> c = get(handshakes, provider, kind);
        return c == null || c.serverCpuNanos() < 0 || c.report().handshakes() == 0 ? Double.NaN
                : c.serverCpuNanos() / 1e6 / c.report().handshakes();
    }

    static <T> void put(Map<TlsProvider, Map<EchoKind, T>> table, TlsProvider provider, EchoKind kind, T value) {
        table.computeIfAbsent(provider, p -> new EnumMap<>(EchoKind.class)).put(kind, value);
    }

    static <T> T get(Map<TlsProvider, Map<EchoKind, T>> table, TlsProvider provider, EchoKind kind) {
        Map<EchoKind, T> row = table.get(provider);
        return row == null ? null : row.get(kind);
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        if (!throughput.isEmpty()) {
            md.append("### TLS echo throughput (closed loop, one message in flight per connection)\n\n");
            md.append("| provider | server | connections | size | msgs/s | MiB/s | p50 us | p99 us | p99.9 us "
                    + "| failures | server CPU us/msg | client CPU us/msg | load |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            forEach(throughput, (p, k, c) -> {
                LoadReport r = c.report();
                md.append(String.format(Locale.ROOT,
                        "| %s | %s | %d | %d B | %.0f | %.2f | %.1f | %.1f | %.1f | %d | %.1f | %.1f | %.1f |%n",
                        name(p), k.label(), r.connections(), r.size(), r.msgsPerSec(), r.mibPerSec(),
                        r.percentileMicros(50), r.percentileMicros(99), r.percentileMicros(99.9), r.failures(),
                        cpuMicrosPerMessage(p, k), clientCpuMicrosPerMessage(p, k), c.loadAverage()));
            });
        }
        if (!handshakes.isEmpty()) {
            md.append("\n### Full TLS handshakes (connect, handshake, 1-byte echo, close_notify)\n\n");
            md.append("| provider | server | connectors | handshakes/s | p50 ms | p99 ms | failures | ClientHellos "
                    + "| resumption offers | negotiated | server CPU ms/handshake | client CPU ms/handshake | load |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
            forEach(handshakes, (p, k, c) -> {
                HandshakeReport r = c.report();
                md.append(String.format(Locale.ROOT,
                        "| %s | %s | %d | %.0f | %.2f | %.2f | %d | %d | %d | %s | %.2f | %.2f | %.1f |%n", name(p),
                        k.label(), r.connectors(), r.perSecond(), r.percentileMillis(50), r.percentileMillis(99),
                        r.failures(), r.clientHellos(), r.resumptionOffers(), r.negotiated(),
                        cpuMillisPerHandshake(p, k), clientCpuMillisPerHandshake(p, k), c.loadAverage()));
            });
        }
        if (!idle.isEmpty()) {
            md.append("\n### Idle TLS connections: server memory (heap after full GC)\n\n");
            md.append("| provider | server | connections | heap B/conn | B/conn vs after close | direct B/conn "
                    + "| RSS B/conn |\n|---|---|---:|---:|---:|---:|---:|\n");
            forEach(idle, (p, k, f) -> md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f "
                    + "| %.0f |%n", name(p), k.label(), f.connections(), f.heapPerConnection(),
                    f.heapPerConnectionVsAfter(), f.directPerConnection(), f.rssPerConnection())));
        }
        appendRatios(md);
        return md.toString();
    }

    private void appendRatios(StringBuilder md) {
        if (!kinds.contains(EchoKind.SLUICE) || !kinds.contains(EchoKind.REACTOR)) {
            return;
        }
        md.append("\n### Sluice / Reactor Netty (targets: throughput and handshakes >= 0.9x, idle heap <= 1.0x)\n\n");
        md.append("| provider | throughput | handshakes | idle heap | idle heap + direct | server CPU per msg "
                + "| server CPU per handshake |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (TlsProvider p : providers) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", name(p),
                    ratio(throughput, p, EchoKind.SLUICE, p, EchoKind.REACTOR, c -> c.report().msgsPerSec()),
                    ratio(handshakes, p, EchoKind.SLUICE, p, EchoKind.REACTOR, c -> c.report().perSecond()),
                    ratio(idle, p, EchoKind.SLUICE, p, EchoKind.REACTOR, IdleFigures::heapPerConnection),
                    ratio(idle, p, EchoKind.SLUICE, p, EchoKind.REACTOR,
                            f -> f.heapPerConnection() + f.directPerConnection()),
                    ratio(cpuMicrosPerMessage(p, EchoKind.SLUICE), cpuMicrosPerMessage(p, EchoKind.REACTOR)),
                    ratio(cpuMillisPerHandshake(p, EchoKind.SLUICE), cpuMillisPerHandshake(p, EchoKind.REACTOR))));
        }
        md.append("\nServer CPU ratios: lower is better for Sluice (time per operation, all server threads).\n");
        if (!providers.contains(TlsProvider.JDK)) {
            return;
        }
        md.append("\n### Providers against the JDK's, per server\n\n");
        md.append("| server | throughput bc/jdk | throughput openssl/jdk | handshakes bc/jdk | handshakes openssl/jdk |"
                + "\n|---|---:|---:|---:|---:|\n");
        for (EchoKind k : kinds) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", k.label(),
                    ratio(throughput, TlsProvider.BOUNCY_CASTLE, k, TlsProvider.JDK, k, c -> c.report().msgsPerSec()),
                    ratio(throughput, TlsProvider.OPENSSL, k, TlsProvider.JDK, k, c -> c.report().msgsPerSec()),
                    ratio(handshakes, TlsProvider.BOUNCY_CASTLE, k, TlsProvider.JDK, k, c -> c.report().perSecond()),
                    ratio(handshakes, TlsProvider.OPENSSL, k, TlsProvider.JDK, k, c -> c.report().perSecond())));
        }
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%.3f", a / b);
    }

    private static <T> String ratio(Map<TlsProvider, Map<EchoKind, T>> table, TlsProvider pa, EchoKind ka,
            TlsProvider pb, EchoKind kb, ToDoubleFunction<T> figure) {
        T a = get(table, pa, ka);
        T b = get(table, pb, kb);
        return a == null || b == null ? "n/a" : String.format(Locale.ROOT, "%.3f",
                figure.applyAsDouble(a) / figure.applyAsDouble(b));
    }

    private interface Row<T> {
        void append(TlsProvider provider, EchoKind kind, T value);
    }

    private <T> void forEach(Map<TlsProvider, Map<EchoKind, T>> table, Row<T> row) {
        for (TlsProvider p : providers) {
            for (EchoKind k : kinds) {
                T value = get(table, p, k);
                if (value != null) {
                    row.append(p, k, value);
                }
            }
        }
    }

    private static String name(TlsProvider provider) {
        return TlsFlags.name(provider);
    }
}
