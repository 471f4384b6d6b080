package io.sluice.samples;

import io.sluice.api.Connection;
import io.sluice.filters.compression.Compression;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.reactor.Client;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An echo load generator on Sluice's {@link Client}: opens the connections, runs a closed loop on each (see
 * {@link EchoLoop}), prints progress once a second to stderr, then a summary and a {@code RESULT} line to stdout.
 * With {@code --codec}, every connection carries a {@link Compression} filter, to load {@code compressed-echo}
 * with the same codec; sizes and MiB/s then count the uncompressed payload. With {@code --tls}, every connection
 * speaks TLS (under the compression, if any), to load {@code tls-echo}.
 *
 * <pre>
 * mvn -pl samples exec:java@loadgen -Dexec.args="--port 9000 --connections 100 --size 64 --duration 10"
 * mvn -pl samples exec:java@loadgen -Dexec.args="--port 9002 --codec gzip --connections 100 --duration 10"
 * mvn -pl samples exec:java@loadgen -Dexec.args="--port 9443 --tls jdk --trust-all --size 16384"
 * </pre>
 */
public final class LoadGenerator {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** Connections opened at once while connecting, so a big run does not overflow the server's accept queue. */
    /** How long the messages in flight at the end may take to come back; a healthy echo needs milliseconds. */
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(2);

    private LoadGenerator() {
    }

    public static Options options() {
        return new Options("loadgen", "Echo load generator: closed-loop connections, throughput and latency.")
                .option("host", "ADDRESS", "127.0.0.1", "echo server address")
                .option("port", "PORT", "9000", "echo server port")
                .option("connections", "N", "100", "connections to open")
                .option("size", "BYTES", "64", "message size")
                .option("duration", "SECONDS", "10", "measured time")
                .option("warmup", "SECONDS", "0", "time before measuring starts")
                .option("rate", "MSGS_PER_SEC", "0", "cap on total messages per second (0: no cap)")
                .option("pipeline", "N", "1", "messages in flight per connection")
                .option("threads", "N", "1", "client event-loop threads")
                .option("codec", "NAME", LoadSettings.NO_CODEC, "compress every connection with this codec, for "
                        + "compressed-echo: gzip, deflate, deflate-raw, brotli, zstd, or none")
                .option("level", "N", null, CompressionFlags.LEVEL_HELP)
                .option("tls", "PROVIDER", LoadSettings.NO_TLS, "speak TLS on every connection, for tls-echo: "
                        + TlsFlags.PROVIDERS + ", or none; trusts the system's CAs unless --ca or --trust-all")
                .option("ca", "FILE", null, "with --tls: trust the CA certificates in this PEM file (and check the "
                        + "host name)")
                .flag("trust-all", "with --tls: trust whatever certificate the server presents, such as tls-echo's "
                        + "self-signed development certificate. Fine for a load generator on a test machine; it "
                        + "proves nothing about whom you talk to, so never use it against anything that matters");
    }

    public static void main(String[] args) {
        LoadSettings settings = null;
        try {
            settings = LoadSettings.from(options().parseOrExit(args));
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(2);
        }
        LoadReport report = run(settings, System.err);
        System.out.println(report.summary());
        System.out.println(report.resultLine());
        System.exit(report.failures() == 0 && report.leaks() == 0 ? 0 : 1);
    }

    /** Runs the load and returns its report; blocks the calling thread for warmup plus duration plus teardown. */
    public static LoadReport run(LoadSettings s, PrintStream progress) {
        return run(s, progress, MeasuredWindow.NONE);
    }

    /**
     * Told when the measured window opens (after the warmup) and closes, on the thread running the load: for
     * measuring something else over exactly the same time, such as the server's CPU time.
     */
    public interface MeasuredWindow {
        MeasuredWindow NONE = new MeasuredWindow() {
            @Override
            public void opened() {
            }

            @Override
            public void closed() {
            }
        };

        void opened();

        void closed();
    }

    /** {@link #run(LoadSettings, PrintStream)}, telling {@code window} when the measured window opens and closes. */
    public static LoadReport run(LoadSettings s, PrintStream progress, MeasuredWindow window) {
        Client.Builder builder = Client.tcp().host(s.host()).port(s.port()).eventLoopThreads(s.threads());
        TlsFilter tls = s.tls() == null ? null : s.tls().filter(s.host(), s.port());
        if (tls != null) {
            builder.filter(tls);
            progress.println(s.tls());
        }
        if (s.compression() != null) {
            builder.filter(Compression.of(s.compression()));
            progress.println("compressing with " + s.compression());
        }
        Client client = builder.build();
        Scheduler pacer = s.rate() > 0 ? Schedulers.newSingle("loadgen-pacer") : null;
        LoadMeter meter = new LoadMeter();
        Measured measured;
        int connected;
        try {
            List<Connection> connections = connect(client, s, meter);
            connected = connections.size();
            byte[] payload = new byte[s.size()];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) ('a' + i % 26);
            }
            long interval = pacer == null ? 0 : Math.max(1, s.connections() * SECOND / s.rate());
            List<EchoLoop> loops = new ArrayList<>();
            for (int i = 0; i < connected; i++) {
                EchoLoop loop = new EchoLoop(connections.get(i), meter, payload, s.pipeline(), pacer, interval);
                loops.add(loop);
                loop.start(interval * i / connected);
            }
            measured = measure(s, meter, () -> client.metrics().active(), progress, window);
            // Every loop is told at once (not through flatMap, which would reach only its first 256 in time).
            Mono.when(loops.stream().map(EchoLoop::stop).toList())
                    .timeout(DRAIN_BOUND, Mono.empty()).block();
            Mono.when(loops.stream().map(EchoLoop::close).toList())
                    .timeout(Duration.ofSeconds(10), Mono.empty()).block();
        } finally {
            client.dispose().block(Duration.ofSeconds(20));
            if (tls != null) {
                tls.close();
            }
            if (pacer != null) {
                pacer.dispose();
            }
        }
        // Read only now: a connection's budget is checked for leaks once it has closed.
        long leaks = client.metrics().leaks();
        return new LoadReport(connected, s.size(), s.pipeline(), measured.nanos(), measured.messages(),
                meter.failures(), describe(meter.firstFailure()), leaks, measured.latencies());
    }

    private static String describe(Throwable failure) {
        return failure == null ? "" : failure.toString();
    }

    private static List<Connection> connect(Client client, LoadSettings s, LoadMeter meter) {
        return OpenAll.open(s.connections(), client::connect, meter, "connect to " + s.host() + ":" + s.port());
    }

    record Measured(long nanos, long messages, Histogram latencies) {
    }

    /** Sleeps through warmup and duration, printing progress each second; returns the measured window. */
    static Measured measure(LoadSettings s, LoadMeter meter, LongSupplier active, PrintStream progress) {
        return measure(s, meter, active, progress, MeasuredWindow.NONE);
    }

    /** As above, telling {@code window} when the measured window opens and closes. */
    static Measured measure(LoadSettings s, LoadMeter meter, LongSupplier active, PrintStream progress,
            MeasuredWindow window) {
        long start = System.nanoTime();
        long warmupEnd = start + s.warmup().toNanos();
        long end = warmupEnd + s.duration().toNanos();
        boolean measuring = s.warmup().isZero();
        if (measuring) {
            window.opened();
        }
        long measuredStart = start;
        long nextTick = start + SECOND;
        long lastTick = start;
        long lastMessages = 0;
        long now = start;
        while (now < end) {
            sleepUntil(Math.min(nextTick, measuring ? end : warmupEnd));
            now = System.nanoTime();
            if (!measuring && now >= warmupEnd) {
                measuring = true;
                meter.takeLatencies();
                window.opened();
                measuredStart = now;
            }
            if (now >= nextTick || now >= end) {
                long messages = meter.messages();
                double rate = (messages - lastMessages) * 1e9 / Math.max(1, now - lastTick);
                progress.printf(Locale.ROOT, "[%5.1fs]%s connections %d  %.0f msgs/s  %.2f MiB/s  failures %d%n",
                        (now - start) / 1e9, measuring ? "" : " warmup", active.getAsLong(), rate,
                        rate * s.size() / (1024.0 * 1024.0), meter.failures());
                lastTick = now;
                lastMessages = messages;
                nextTick += SECOND;
            }
        }
        // The measured count is the histogram's own: two separate reads of the counter and of the recorder would
        // disagree by the messages completed between them.
        Histogram measured = meter.takeLatencies();
        window.closed();
        return new Measured(now - measuredStart, measured.getTotalCount(), measured);
    }

    private static void sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
    }
}
