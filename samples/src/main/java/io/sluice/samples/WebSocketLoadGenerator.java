package io.sluice.samples;

import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketSession;
import io.sluice.websocket.WebSocketSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * The load generator's WebSocket mode: the same closed loop as {@link LoadGenerator}, over WebSocket sessions
 * opened with Sluice's {@link WebSocket#client} (binary messages, one echoed message per message sent; see
 * {@link WebSocketEchoLoop}), optionally offering permessage-deflate. Prints progress once a second to stderr, then
 * a summary and a {@code RESULT} line to stdout. Paced rates are not supported here: the loop runs as fast as the
 * echoes come back.
 *
 * <pre>
 * mvn -pl samples exec:java@ws-loadgen -Dexec.args="--port 9001 --connections 100 --size 64 --duration 10"
 * mvn -pl samples exec:java@ws-loadgen -Dexec.args="--port 9001 --deflate --size 16384 --duration 10"
 * </pre>
 *
 * The report's {@code leaks} is -1: the WebSocket client does not expose its connections' budgets.
 */
public final class WebSocketLoadGenerator {

    /** Sessions opened at once while connecting, so a big run does not overflow the server's accept queue. */
    /** How long the messages in flight at the end may take to come back; a healthy echo needs milliseconds. */
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(2);
    /** Largest message either way; the echo of a 16 MiB message must fit. */
    private static final int MAX_MESSAGE = 64 << 20;

    private WebSocketLoadGenerator() {
    }

    public static Options options() {
        return new Options("ws-loadgen", "WebSocket echo load generator: closed-loop sessions, throughput and latency.")
                .option("host", "ADDRESS", "127.0.0.1", "echo server address")
                .option("port", "PORT", "9001", "echo server port")
                .option("path", "PATH", "/", "request path of the upgrade")
                .option("connections", "N", "100", "sessions to open")
                .option("size", "BYTES", "64", "binary message size")
                .option("duration", "SECONDS", "10", "measured time")
                .option("warmup", "SECONDS", "0", "time before measuring starts")
                .option("pipeline", "N", "1", "messages in flight per session")
                .option("threads", "N", "1", "client event-loop threads")
                .option("compression-threshold", "BYTES", "0",
                        "with --deflate, messages shorter than this are sent uncompressed")
                .flag("deflate", "offer permessage-deflate");
    }

    public static void main(String[] args) {
        Options o = options().parseOrExit(args);
        LoadSettings settings = null;
        try {
            settings = new LoadSettings(o.string("host"), o.integer("port"), o.integer("connections"),
                    o.integer("size"), o.seconds("duration"), o.seconds("warmup"), 0, o.integer("pipeline"),
                    o.integer("threads"));
        } catch (IllegalArgumentException e) {
            System.err.println("ws-loadgen: " + e.getMessage());
            System.exit(2);
        }
        LoadReport report = run(settings, o.string("path"), o.flagSet("deflate"),
                o.integer("compression-threshold"), System.err);
        System.out.println(report.summary());
        System.out.println(report.resultLine());
        System.exit(report.failures() == 0 ? 0 : 1);
    }

    /**
     * Runs the load {@code s} describes ({@code rate} and {@code compression} are ignored) against
     * {@code ws://host:port/path}, offering permessage-deflate when {@code deflate}; blocks for warmup plus duration
     * plus teardown.
     */
    public static LoadReport run(LoadSettings s, String path, boolean deflate, int compressionThreshold,
            PrintStream progress) {
        return run(s, path, deflate, compressionThreshold, progress, LoadGenerator.MeasuredWindow.NONE);
    }

    /** As above, telling {@code window} when the measured window opens and closes (to measure CPU time over it). */
    public static LoadReport run(LoadSettings s, String path, boolean deflate, int compressionThreshold,
            PrintStream progress, LoadGenerator.MeasuredWindow window) {
        WebSocketSettings settings = WebSocketSettings.builder()
                .maxFrameSize(MAX_MESSAGE)
                .maxMessageSize(MAX_MESSAGE)
                .compressionThreshold(compressionThreshold)
                .build();
        WebSocketClient.Builder builder = WebSocket.client("ws://" + s.host() + ":" + s.port() + path)
                .settings(settings)
                .transport(t -> t.eventLoopThreads(s.threads()));
        if (deflate) {
            builder.permessageDeflate();
            progress.println("offering permessage-deflate");
        }
        WebSocketClient client = builder.build();
        LoadMeter meter = new LoadMeter();
        AtomicLong open = new AtomicLong();
        LoadGenerator.Measured measured;
        int connected;
        try {
            List<WebSocketSession> sessions = connect(client, s, meter);
            connected = sessions.size();
            for (WebSocketSession session : sessions) {
                open.incrementAndGet();
                session.closeStatus().subscribe(null, e -> open.decrementAndGet(), open::decrementAndGet);
            }
            byte[] payload = new byte[s.size()];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) ('a' + i % 26);
            }
            List<WebSocketEchoLoop> loops = new ArrayList<>();
            for (WebSocketSession session : sessions) {
                WebSocketEchoLoop loop = new WebSocketEchoLoop(session, meter, payload, s.pipeline());
                loops.add(loop);
                loop.start();
            }
            measured = LoadGenerator.measure(s, meter, open::get, progress, window);
            Mono.when(loops.stream().map(WebSocketEchoLoop::stop).toList())
                    .timeout(DRAIN_BOUND, Mono.empty()).block();
            Mono.when(loops.stream().map(WebSocketEchoLoop::close).toList())
                    .timeout(Duration.ofSeconds(10), Mono.empty()).block();
        } finally {
            client.dispose().block(Duration.ofSeconds(20));
        }
        Throwable first = meter.firstFailure();
        return new LoadReport(connected, s.size(), s.pipeline(), measured.nanos(), measured.messages(),
                meter.failures(), first == null ? "" : first.toString(), -1, measured.latencies());
    }

    private static List<WebSocketSession> connect(WebSocketClient client, LoadSettings s, LoadMeter meter) {
        return OpenAll.open(s.connections(), client::connect, meter, "open a WebSocket session to " + client.uri());
    }
}
