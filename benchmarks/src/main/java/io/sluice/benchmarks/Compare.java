package io.sluice.benchmarks;

import io.sluice.samples.LoadGenerator;
import io.sluice.samples.LoadReport;
import io.sluice.samples.LoadSettings;
import io.sluice.samples.Options;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end comparison: the same echo workload against each server kind, each in a JVM of its own started
 * with identical flags, measured by the samples' load generator from this JVM; then heap per idle connection.
 *
 * <pre>
 * mvn -q -pl benchmarks exec:java@compare -Dexec.args="--out benchmarks/results.md"
 * mvn -q -pl benchmarks exec:java@compare -Dexec.args="--smoke"
 * </pre>
 */
public final class Compare {

    private Compare() {
    }

    public static Options options() {
        return new Options("compare", "Echo throughput and idle heap: Sluice vs Reactor Netty vs Netty.")
                .option("kinds", "LIST", "sluice,reactor,netty", "servers to compare")
                .option("connections", "LIST", "1,100,1000", "connection counts")
                .option("sizes", "LIST", "64,4096", "message sizes in bytes")
                .option("duration", "SECONDS", "10", "measured time per cell and kind")
                .option("warmup", "SECONDS", "3", "unmeasured time before each measurement")
                .option("pipeline", "N", "1", "messages in flight per connection")
                .option("idle", "N", "15000", "idle connections for the heap measurement (0 skips it)")
                .option("threads", "N", "1", "server event-loop threads, every kind")
                .option("client-threads", "N", "1", "load generator event-loop threads")
                .option("heap", "SIZE", "1g", "server -Xms and -Xmx, every kind")
                .option("logs", "DIR", "target/bench-logs", "where the servers' stderr goes")
                .option("out", "FILE", null, "also write the Markdown tables here")
                .flag("smoke", "a quick run of every cell with small numbers, for CI");
    }

    public static void main(String[] args) throws Exception {
        Options o = options().parseOrExit(args);
        Comparison result = run(o, System.err);
        String md = result.toMarkdown();
        Tables.emit(o, md);
        System.exit(0);
    }

    /** Runs the comparison {@code o} describes; progress goes to {@code log}. */
    public static Comparison run(Options o, PrintStream log) throws Exception {
        boolean smoke = o.flagSet("smoke");
        List<EchoKind> kinds = o.string("kinds").isBlank() ? List.of()
                : Arrays.stream(o.string("kinds").split(",")).map(String::trim).map(EchoKind::of).toList();
        List<Integer> connections = smoke ? List.of(1, 10) : o.integers("connections");
        List<Integer> sizes = o.integers("sizes");
        Duration duration = smoke ? Duration.ofSeconds(1) : o.seconds("duration");
        Duration warmup = smoke ? Duration.ZERO : o.seconds("warmup");
        int idle = smoke ? 200 : o.integer("idle");
        String heap = smoke ? "256m" : o.string("heap");
        List<String> jvmFlags = List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseParallelGC");
        Path logs = Paths.get(o.string("logs"));
        String threads = o.string("threads");
        log.println("server JVM flags " + jvmFlags + ", " + threads + " server event-loop thread(s), "
                + o.string("client-threads") + " client thread(s)");

        Comparison result = new Comparison(kinds);
        Map<EchoKind, ChildJvm> servers = new EnumMap<>(EchoKind.class);
        Map<EchoKind, Integer> ports = new EnumMap<>(EchoKind.class);
        try {
            for (EchoKind kind : kinds) {
                ChildJvm server = startServer(kind, jvmFlags, List.of("--threads", threads), logs,
                        "server-" + kind.label());
                servers.put(kind, server);
                ports.put(kind, port(server.await("listening on ", Duration.ofSeconds(60))));
            }
            int index = 0;
            for (int n : connections) {
                for (int size : sizes) {
                    Cell cell = new Cell(n, size);
                    // A different kind goes first in each cell, so drift in the machine's load spreads evenly.
                    List<EchoKind> order = new ArrayList<>(kinds);
                    Collections.rotate(order, -(index++ % Math.max(1, kinds.size())));
                    for (EchoKind kind : order) {
                        LoadSettings settings = new LoadSettings("127.0.0.1", ports.get(kind), n, size, duration,
                                warmup, 0, o.integer("pipeline"), o.integer("client-threads"));
                        log.printf("%d connections, %d B, %s%n", n, size, kind.label());
                        LoadReport report = LoadGenerator.run(settings, log);
                        log.println(report.resultLine());
                        cell.reports().put(kind, report);
                    }
                    result.cells().add(cell);
                }
            }
        } finally {
            for (ChildJvm server : servers.values()) {
                server.close();
            }
        }
        if (idle > 0) {
            measureIdle(result, kinds, idle, jvmFlags, threads, logs, log);
        }
        return result;
    }

    private static void measureIdle(Comparison result, List<EchoKind> kinds, int n, List<String> jvmFlags,
            String threads, Path logs, PrintStream log) throws Exception {
        // The idle client needs as many descriptors as connections; its heap is not what is measured.
        try (ChildJvm client = ChildJvm.start("idle-client", List.of("-Xmx2g"), IdleClient.class, List.of(),
                logs.resolve("idle-client.log"))) {
            List<EchoKind> order = new ArrayList<>(kinds);
            Collections.rotate(order, 1);
            for (EchoKind kind : order) {
                try (ChildJvm server = startServer(kind, jvmFlags, List.of("--threads", threads), logs,
                        "server-" + kind.label())) {
                    result.idle().put(kind, IdleMeasurement.measure(client, server, kind, n, log));
                }
            }
        }
    }

    /** A {@link BenchServer} of {@code kind} in a child JVM; its stderr goes to {@code logs/NAME.log}. */
    static ChildJvm startServer(EchoKind kind, List<String> jvmFlags, List<String> args, Path logs, String name)
            throws IOException {
        List<String> all = new ArrayList<>(List.of("--kind", kind.label(), "--port", "0"));
        all.addAll(args);
        return ChildJvm.start(name, jvmFlags, BenchServer.class, all, logs.resolve(name + ".log"));
    }

    /** Heap used and direct memory, in bytes, after full GCs in the server. */
    static long[] heap(ChildJvm server) throws InterruptedException {
        server.send("gc");
        String line = server.await("heap used=", Duration.ofSeconds(60));
        String[] parts = line.split("\\s+");
        return new long[] {
                Long.parseLong(parts[1].substring("used=".length())),
                Long.parseLong(parts[2].substring("direct=".length()))};
    }

    static int port(String listeningLine) {
        return Integer.parseInt(listeningLine.substring(listeningLine.lastIndexOf(':') + 1).trim());
    }
}
