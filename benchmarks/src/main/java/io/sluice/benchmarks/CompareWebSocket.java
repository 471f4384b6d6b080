package io.sluice.benchmarks;

import io.sluice.samples.LoadReport;
import io.sluice.samples.LoadSettings;
import io.sluice.samples.Options;
import io.sluice.samples.WebSocketLoadGenerator;
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
 * The WebSocket comparison: binary echo through Sluice's WebSocket server and Reactor Netty's
 * ({@link WebSocketEchoServers}), each in a JVM of its own started with identical flags, with and without
 * permessage-deflate, loaded by the samples' {@link WebSocketLoadGenerator} from this JVM; then server memory per
 * idle WebSocket connection ({@link WebSocketIdleClient} in another process).
 *
 * <pre>
 * mvn -q -pl benchmarks exec:java@compare-ws -Dexec.args="--duration 10 --idle 10000"
 * mvn -q -pl benchmarks exec:java@compare-ws -Dexec.args="--smoke"
 * </pre>
 */
public final class CompareWebSocket {

    private CompareWebSocket() {
    }

    public static Options options() {
        return new Options("compare-ws", "WebSocket echo throughput and idle memory: Sluice vs Reactor Netty.")
                .option("kinds", "LIST", "sluice,reactor", "servers to compare")
                .option("connections", "LIST", "100", "connection counts")
                .option("sizes", "LIST", "64,16384", "binary message sizes in bytes")
                .option("deflate", "LIST", "off,on",
                        "permessage-deflate modes to run: off, on, both, or none (\"\": idle only)")
                .option("duration", "SECONDS", "10", "measured time per cell and kind")
                .option("warmup", "SECONDS", "15", "unmeasured time before each measurement (the load generator, in this "
                        + "JVM, is compiled during the first; with a few seconds the kind measured second gained 5-15 %)")
                .option("pipeline", "N", "1", "messages in flight per connection")
                .option("idle", "N", "10000", "idle connections for the memory measurement (0 skips it)")
                .flag("idle-deflate", "negotiate permessage-deflate on the idle connections")
                .option("threads", "N", "1", "server event-loop threads, every kind")
                .option("client-threads", "N", "1", "load generator event-loop threads")
                .option("heap", "SIZE", "1g", "server -Xms and -Xmx, every kind")
                .option("logs", "DIR", "target/bench-logs", "where the servers' stderr goes")
                .option("out", "FILE", null, "also write the Markdown tables here")
                .flag("smoke", "a quick run of every cell with small numbers, for CI");
    }

    public static void main(String[] args) throws Exception {
        Options o = options().parseOrExit(args);
        WebSocketComparison result = run(o, System.err);
        String md = result.toMarkdown();
        Tables.emit(o, md);
        System.exit(0);
    }

    /** Runs the comparison {@code o} describes; progress goes to {@code log}. */
    public static WebSocketComparison run(Options o, PrintStream log) throws Exception {
        boolean smoke = o.flagSet("smoke");
        List<EchoKind> kinds = Arrays.stream(o.string("kinds").split(",")).map(String::trim).filter(k -> !k.isEmpty())
                .map(EchoKind::of).toList();
        List<Integer> connections = smoke ? List.of(4) : o.integers("connections");
        List<Integer> sizes = o.integers("sizes");
        List<Boolean> deflateModes = deflateModes(o.string("deflate"));
        Duration duration = smoke ? Duration.ofSeconds(1) : o.seconds("duration");
        Duration warmup = smoke ? Duration.ZERO : o.seconds("warmup");
        int idle = smoke ? 100 : o.integer("idle");
        String heap = smoke ? "256m" : o.string("heap");
        List<String> jvmFlags = List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseParallelGC");
        Path logs = Paths.get(o.string("logs"));
        String threads = o.string("threads");
        log.println("server JVM flags " + jvmFlags + ", " + threads + " server event-loop thread(s), "
                + o.string("client-threads") + " client thread(s)");

        WebSocketComparison result = new WebSocketComparison(kinds);
        int index = 0;
        for (boolean deflate : deflateModes) {
            Map<EchoKind, ChildJvm> servers = new EnumMap<>(EchoKind.class);
            Map<EchoKind, Integer> ports = new EnumMap<>(EchoKind.class);
            try {
                for (EchoKind kind : kinds) {
                    ChildJvm server = startServer(kind, deflate, jvmFlags, threads, logs);
                    servers.put(kind, server);
                    ports.put(kind, Compare.port(server.await("listening on ", Duration.ofSeconds(60))));
                }
                for (int n : connections) {
                    for (int size : sizes) {
                        Cell cell = new Cell(n, size);
                        Map<EchoKind, TlsCell<LoadReport>> cpu = new EnumMap<>(EchoKind.class);
                        // A different kind goes first in each cell, so drift in the machine's load spreads evenly.
                        List<EchoKind> order = new ArrayList<>(kinds);
                        Collections.rotate(order, -(index++ % Math.max(1, kinds.size())));
                        for (EchoKind kind : order) {
                            LoadSettings settings = new LoadSettings("127.0.0.1", ports.get(kind), n, size,
                                    duration, warmup, 0, o.integer("pipeline"), o.integer("client-threads"));
                            log.printf("deflate %s, %d connections, %d B, %s%n", deflate ? "on" : "off", n, size,
                                    kind.label());
                            ProcessCpu server = new ProcessCpu(servers.get(kind).pid());
                            ProcessCpu client = ProcessCpu.self();
                            LoadReport report = WebSocketLoadGenerator.run(settings, "/", deflate, 0, log,
                                    ProcessCpu.both(server, client));
                            log.println(report.resultLine());
                            cell.reports().put(kind, report);
                            cpu.put(kind, new TlsCell<>(report, server.nanos(), client.nanos(),
                                    TlsCell.loadAverageNow()));
                        }
                        result.cells().add(new WebSocketComparison.DeflateCell(deflate, cell, cpu));
                    }
                }
            } finally {
                for (ChildJvm server : servers.values()) {
                    server.close();
                }
            }
        }
        if (idle > 0) {
            measureIdle(result, kinds, idle, o.flagSet("idle-deflate"), jvmFlags, threads, logs, log);
        }
        return result;
    }

    /** {@code --deflate}: a list of on and off, or both, or none (or empty) for the idle measurement alone. */
    static List<Boolean> deflateModes(String list) {
        List<Boolean> modes = new ArrayList<>();
        for (String mode : list.split(",")) {
            switch (mode.trim()) {
                case "on" -> modes.add(true);
                case "off" -> modes.add(false);
                case "both" -> modes.addAll(List.of(false, true));
                case "none", "" -> { }
                default -> throw new IllegalArgumentException(
                        "--deflate takes on, off, both or none, not '" + mode.trim() + "'");
            }
        }
        return List.copyOf(modes);
    }

    private static void measureIdle(WebSocketComparison result, List<EchoKind> kinds, int n, boolean deflate,
            List<String> jvmFlags, String threads, Path logs, PrintStream log) throws Exception {
        String offer = deflate ? " deflate" : "";
        // The idle client needs as many descriptors as connections; its heap is not what is measured.
        try (ChildJvm client = ChildJvm.start("ws-idle-client", List.of("-Xmx2g"), WebSocketIdleClient.class,
                List.of(), logs.resolve("ws-idle-client.log"))) {
            List<EchoKind> order = new ArrayList<>(kinds);
            Collections.rotate(order, 1);
            for (EchoKind kind : order) {
                try (ChildJvm server = startServer(kind, deflate, jvmFlags, threads, logs)) {
                    int port = Compare.port(server.await("listening on ", Duration.ofSeconds(60)));
                    // Open and close a few first, so that classes, pools and caches first used by a session are in
                    // the baseline rather than charged to the idle connections.
                    client.send("open " + port + " " + Math.min(n, 500) + offer);
                    client.await("opened", Duration.ofMinutes(2));
                    client.send("close");
                    client.await("closed", Duration.ofMinutes(2));
                    long[] base = Compare.heap(server);
                    client.send("open " + port + " " + n + offer);
                    String opened = client.await("opened", Duration.ofMinutes(4));
                    int open = Integer.parseInt(opened.substring("opened ".length()).trim());
                    Thread.sleep(1000); // the last sessions' handlers get going
                    long[] loaded = Compare.heap(server);
                    client.send("close");
                    client.await("closed", Duration.ofMinutes(2));
                    Thread.sleep(500);
                    long[] after = Compare.heap(server);
                    // resident set not measured here (-1)
                    IdleFigures f = new IdleFigures(kind, open, base[0], loaded[0], after[0], base[1], loaded[1], -1, -1);
                    log.printf("idle %s: %d WebSocket connections, %.0f B heap, %.0f B direct per connection%n",
                            kind.label(), open, f.heapPerConnection(), f.directPerConnection());
                    result.idle().put(kind, f);
                }
            }
        }
    }

    private static ChildJvm startServer(EchoKind kind, boolean deflate, List<String> jvmFlags, String threads,
            Path logs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--kind", kind.label(), "--port", "0", "--threads", threads));
        if (deflate) {
            args.add("--deflate");
        }
        String name = "ws-server-" + kind.label() + (deflate ? "-deflate" : "");
        return ChildJvm.start(name, jvmFlags, WebSocketBenchServer.class, args, logs.resolve(name + ".log"));
    }
}
