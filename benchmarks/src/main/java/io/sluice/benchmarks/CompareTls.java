package io.sluice.benchmarks;

import io.sluice.filters.tls.TlsProvider;
import io.sluice.samples.LoadGenerator;
import io.sluice.samples.LoadReport;
import io.sluice.samples.LoadSettings;
import io.sluice.samples.Options;
import io.sluice.samples.TlsFlags;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TLS comparison (issue 3): Sluice's TLS filter against Reactor Netty's built-in TLS, provider by provider, each
 * server in a JVM of its own with identical flags, both on the same certificate files (this JVM's development
 * certificate, written once) and set up alike ({@link BenchTls}). Three parts:
 * <ul>
 *   <li>{@code throughput}: the samples' load generator with {@code --tls} (Sluice's TLS client on the same
 *       provider), 16 KiB messages on 100 connections;</li>
 *   <li>{@code handshakes}: full handshakes per second from concurrent connectors ({@link HandshakeLoad});</li>
 *   <li>{@code idle}: memory per idle TLS connection ({@link IdleMeasurement}, the {@link IdleClient} with
 *       {@code --tls}).</li>
 * </ul>
 * The kind that goes first alternates from provider to provider within each part (and from run to run with
 * {@code --repeat}), and gets a doubled warmup: the load generator runs in this JVM and warms up with it.
 *
 * <pre>
 * mvn -q -pl benchmarks exec:java@compare-tls -Dexec.args="--out target/compare-tls.md"
 * mvn -q -pl benchmarks exec:java@compare-tls -Dexec.args="--providers bc --parts handshakes"
 * mvn -q -pl benchmarks exec:java@compare-tls -Dexec.args="--smoke"
 * </pre>
 */
public final class CompareTls {

    private static final Set<String> PARTS = Set.of("throughput", "handshakes", "idle");

    private CompareTls() {
    }

    public static Options options() {
        return new Options("compare-tls", "TLS echo throughput, handshake rate and idle memory: Sluice TLS vs "
                + "Reactor Netty TLS, per provider.")
                .option("providers", "LIST", "jdk,bc,openssl", "TLS providers: jdk, bc, openssl")
                .option("kinds", "LIST", "sluice,reactor", "servers to compare")
                .option("parts", "LIST", "throughput,handshakes,idle", "what to measure")
                .option("connections", "N", "100", "throughput: connections")
                .option("size", "BYTES", "16384", "throughput: message size")
                .option("duration", "SECONDS", "10", "measured time per cell and kind")
                .option("warmup", "SECONDS", "15", "unmeasured time before each measurement (the JDK's AES-GCM "
                        + "runs its slow Java GHASH until C2 has compiled it: about 8 s of load here)")
                .option("connectors", "N", "32", "handshakes: concurrent connectors")
                .option("idle", "N", "5000", "idle: connections")
                .option("threads", "N", "1", "server event-loop threads, every kind")
                .option("client-threads", "N", "1", "load generator event-loop threads")
                .option("heap", "SIZE", "1g", "server -Xms and -Xmx, every kind")
                .option("logs", "DIR", "target/bench-logs", "where the servers' stderr goes")
                .option("repeat", "N", "1", "run everything N times, the rotation of who goes first carrying on")
                .option("jfr", "DIR", null, "record each server with Flight Recorder (profile settings) into "
                        + "DIR/server-KIND-PROVIDER.jfr; read with: jfr print --events jdk.ExecutionSample FILE")
                .option("jfr-settings", "NAME", "profile", "with --jfr: the recording's settings (a .jfc file or "
                        + "the name of one of the JDK's)")
                .option("out", "FILE", null, "also write the Markdown tables here")
                .flag("sluice-inline-tasks", "diagnostic: Sluice runs the engines' delegated tasks on the event loop, "
                        + "as Netty's SslHandler does, not on bounded-elastic threads")
                .flag("smoke", "a quick run of every part with small numbers (idle memory for the first provider "
                        + "only), for CI");
    }

    public static void main(String[] args) throws Exception {
        Options o = options().parseOrExit(args);
        int repeat = o.integer("repeat");
        StringBuilder md = new StringBuilder();
        for (int r = 0; r < repeat; r++) {
            md.append(repeat > 1 ? "#### Run " + (r + 1) + " of " + repeat + "\n\n" : "")
                    .append(run(o, System.err, r).toMarkdown()).append('\n');
        }
        Tables.emit(o, md);
        System.exit(0);
    }

    /** Runs the comparison {@code o} describes; progress goes to {@code log}. */
    public static TlsComparison run(Options o, PrintStream log) throws Exception {
        return run(o, log, 0);
    }

    /** Runs the comparison, the rotation of the kind that goes first starting at {@code firstCell}. */
    static TlsComparison run(Options o, PrintStream log, int firstCell) throws Exception {
        boolean smoke = o.flagSet("smoke");
        List<TlsProvider> providers = list(o.string("providers")).stream().map(TlsFlags::provider).toList();
        List<EchoKind> kinds = list(o.string("kinds")).stream().map(EchoKind::of).toList();
        List<String> parts = list(o.string("parts"));
        for (String part : parts) {
            if (!PARTS.contains(part)) {
                throw new IllegalArgumentException("unknown part '" + part + "'; one of " + PARTS);
            }
        }
        if (kinds.contains(EchoKind.NETTY)) {
            throw new IllegalArgumentException("kind netty has no TLS variant; compare sluice and reactor");
        }
        Duration duration = smoke ? Duration.ofSeconds(1) : o.seconds("duration");
        Duration warmup = smoke ? Duration.ofSeconds(1) : o.seconds("warmup");
        int connections = smoke ? 10 : o.integer("connections");
        int connectors = smoke ? 4 : o.integer("connectors");
        int idle = smoke ? 100 : o.integer("idle");
        String heap = smoke ? "256m" : o.string("heap");
        // Pre-touched heap: growth of the resident set then shows native memory, not heap pages touched late.
        List<String> jvmFlags = List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch");
        Path jfr = o.has("jfr") ? Files.createDirectories(Paths.get(o.string("jfr")).toAbsolutePath()) : null;
        Path logs = Paths.get(o.string("logs"));
        String threads = o.string("threads");
        int clientThreads = o.integer("client-threads");
        log.println("server JVM flags " + jvmFlags + ", " + threads + " server event-loop thread(s), "
                + clientThreads + " client thread(s); " + Versions.describe());

        BenchTls.Variants variants = BenchTls.Variants.of(o);
        if (!variants.equals(BenchTls.Variants.NONE)) {
            log.println("diagnostic variants: " + variants);
        }
        Path certificates = Files.createTempDirectory("sluice-bench-tls");
        BenchTls.writeDevelopmentCertificate(certificates);
        TlsComparison result = new TlsComparison(providers, kinds);
        try {
            for (int p = 0; p < providers.size(); p++) {
                TlsProvider provider = providers.get(p);
                if (!parts.contains("throughput") && !parts.contains("handshakes")) {
                    break;
                }
                BenchTls tls = BenchTls.of(provider, certificates, variants);
                Map<EchoKind, ChildJvm> servers = new EnumMap<>(EchoKind.class);
                Map<EchoKind, Integer> ports = new EnumMap<>(EchoKind.class);
                try {
                    for (EchoKind kind : kinds) { // all started before any is waited for: JVMs start slowly
                        servers.put(kind, startServer(kind, tls,
                                withJfr(jvmFlags, jfr, o.string("jfr-settings"), kind, tls), threads, logs));
                    }
                    for (EchoKind kind : kinds) {
                        ports.put(kind, Compare.port(servers.get(kind).await("listening on ",
                                Duration.ofSeconds(60))));
                    }
                    if (parts.contains("throughput")) {
                        List<EchoKind> order = rotated(kinds, firstCell + p);
                        for (EchoKind kind : order) {
                            LoadSettings settings = new LoadSettings("127.0.0.1", ports.get(kind), connections,
                                    o.integer("size"), duration, firstWarmup(warmup, kind, order), 0, 1,
                                    clientThreads).withTls(tls.client());
                            log.printf("throughput, %s, %s%n", TlsFlags.name(provider), kind.label());
                            ProcessCpu server = new ProcessCpu(servers.get(kind).pid());
                            ProcessCpu client = ProcessCpu.self();
                            LoadReport report = LoadGenerator.run(settings, log, ProcessCpu.both(server, client));
                            log.println(report.resultLine());
                            TlsComparison.put(result.throughput(), provider, kind, new TlsCell<>(report,
                                    server.nanos(), client.nanos(), TlsCell.loadAverageNow()));
                        }
                    }
                    if (parts.contains("handshakes")) {
                        List<EchoKind> order = rotated(kinds, firstCell + p + 1);
                        for (EchoKind kind : order) {
                            log.printf("handshakes, %s, %s%n", TlsFlags.name(provider), kind.label());
                            ProcessCpu server = new ProcessCpu(servers.get(kind).pid());
                            ProcessCpu client = ProcessCpu.self();
                            HandshakeReport report = HandshakeLoad.run(new HandshakeLoad.Settings("127.0.0.1",
                                    ports.get(kind), tls.client(), connectors, firstWarmup(warmup, kind, order),
                                    duration, clientThreads), log, ProcessCpu.both(server, client));
                            TlsComparison.put(result.handshakes(), provider, kind, new TlsCell<>(report,
                                    server.nanos(), client.nanos(), TlsCell.loadAverageNow()));
                        }
                    }
                } finally {
                    for (ChildJvm server : servers.values()) {
                        server.close();
                    }
                }
            }
            if (parts.contains("idle") && idle > 0) {
                // The idle path is the same for every provider but the client's: the smoke run does one.
                int measured = smoke ? Math.min(1, providers.size()) : providers.size();
                for (int p = 0; p < measured; p++) {
                    measureIdle(result, BenchTls.of(providers.get(p), certificates, variants), idle, jvmFlags,
                            threads, logs, firstCell + p, log);
                }
            }
        } finally {
            try (var files = Files.list(certificates)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(certificates);
        }
        return result;
    }

    private static void measureIdle(TlsComparison result, BenchTls tls, int n, List<String> jvmFlags, String threads,
            Path logs, int cell, PrintStream log) throws Exception {
        String provider = TlsFlags.name(tls.provider());
        try (ChildJvm client = ChildJvm.start("idle-client-" + provider, List.of("-Xmx2g"), IdleClient.class,
                List.of("--tls", provider, "--ca", tls.certificate().toString()),
                logs.resolve("idle-client-" + provider + ".log"))) {
            for (EchoKind kind : rotated(result.kinds(), cell)) {
                log.printf("idle, %s, %s%n", provider, kind.label());
                try (ChildJvm server = startServer(kind, tls, jvmFlags, threads, logs)) {
                    TlsComparison.put(result.idle(), tls.provider(), kind,
                            IdleMeasurement.measure(client, server, kind, n, log));
                }
            }
        }
    }

    private static ChildJvm startServer(EchoKind kind, BenchTls tls, List<String> jvmFlags, String threads,
            Path logs) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of("--threads", threads));
        args.addAll(tls.serverArgs());
        return Compare.startServer(kind, jvmFlags, args, logs,
                "server-" + kind.label() + "-" + TlsFlags.name(tls.provider()));
    }

    /** {@code flags}, plus a Flight Recording into {@code dir} (null: none) named after the server. */
    private static List<String> withJfr(List<String> flags, Path dir, String settings, EchoKind kind, BenchTls tls) {
        if (dir == null) {
            return flags;
        }
        List<String> all = new ArrayList<>(flags);
        all.add("-XX:StartFlightRecording=settings=" + settings + ",filename=" + dir.resolve("server-" + kind.label()
                + "-" + TlsFlags.name(tls.provider()) + ".jfr"));
        return all;
    }

    /**
     * The warmup for {@code kind}: doubled for the first kind of a cell, whose measurement would otherwise also be
     * the load generator's own warm-up for this provider's code (it runs in this JVM, across cells).
     */
    private static Duration firstWarmup(Duration warmup, EchoKind kind, List<EchoKind> order) {
        return order.get(0) == kind ? warmup.multipliedBy(2) : warmup;
    }

    /**
     * {@code kinds}, starting with a different one for each {@code cell}: cells count providers, so that within each
     * part the kind measured first alternates from provider to provider (and from run to run with {@code --repeat}).
     */
    private static List<EchoKind> rotated(List<EchoKind> kinds, int cell) {
        List<EchoKind> order = new ArrayList<>(kinds);
        Collections.rotate(order, -(cell % Math.max(1, kinds.size())));
        return order;
    }

    private static List<String> list(String value) {
        return value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).toList();
    }
}
