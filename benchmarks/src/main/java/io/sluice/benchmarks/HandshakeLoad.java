package io.sluice.benchmarks;

import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.Filter;
import io.sluice.filters.tls.Tls;
import io.sluice.filters.tls.TlsContext;
import io.sluice.filters.tls.TlsDriverSettings;
import io.sluice.reactor.Client;
import io.sluice.samples.ClientTls;
import io.sluice.samples.LoadGenerator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSession;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Full TLS handshakes per second against a TLS echo server: {@code connectors} loops, each connecting, completing
 * the handshake and one byte's round trip ({@link Ping}, so that the server has finished its side too), closing
 * with close_notify, and starting over; first for the warmup, then for the measured duration. The failures and
 * the probe's counts cover both phases.
 *
 * <p>No session is ever resumed: every engine is made for a connection whose peer address is hidden from the
 * {@link TlsContext}, and JSSE (SunJSSE and Bouncy Castle) and Netty's OpenSSL engine look up a session to resume
 * by the peer's host and port only; with neither, the ClientHello offers no pre-shared key. A
 * {@link ClientHelloProbe} under the TLS filter checks that on the wire for every connection. Host names are then
 * not verified (there is none); the certificate still is.
 */
final class HandshakeLoad {

    /** Bound on one handshake and ping; a healthy one takes milliseconds. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    /** Bound on the close_notify exchange after each ping. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** What to run: {@code tls} names the provider and what to trust. */
    record Settings(String host, int port, ClientTls tls, int connectors, Duration warmup, Duration duration,
            int threads) {
    }

    private HandshakeLoad() {
    }

    static HandshakeReport run(Settings s, PrintStream progress) {
        return run(s, progress, LoadGenerator.MeasuredWindow.NONE);
    }

    /**
     * Runs the warmup, then the measured phase, each ending once the attempts begun before its end are done;
     * {@code window} is told when the measured phase begins and ends.
     */
    static HandshakeReport run(Settings s, PrintStream progress, LoadGenerator.MeasuredWindow window) {
        ClientHelloProbe probe = new ClientHelloProbe();
        Meter meter = new Meter();
        try (TlsContext context = TlsContext.create(s.tls().options(s.host(), s.port())
                .hostnameVerification(false).build())) {
            Filter tls = Tls.over(info -> context.newEngine(ConnectionInfo.of(info.id(), null, null)),
                    TlsDriverSettings.defaults());
            Client client = Client.tcp().host(s.host()).port(s.port()).eventLoopThreads(s.threads())
                    .filter(probe).filter(tls).build();
            long measuredNanos;
            Histogram latencies;
            try {
                if (!s.warmup().isZero()) {
                    phase(client, s, meter, s.warmup());
                }
                meter.latencies.reset();
                window.opened();
                long start = System.nanoTime();
                phase(client, s, meter, s.duration());
                measuredNanos = System.nanoTime() - start;
                latencies = meter.latencies.getIntervalHistogram();
                window.closed();
            } finally {
                client.dispose().block(Duration.ofSeconds(20));
            }
            HandshakeReport report = new HandshakeReport(s.connectors(), measuredNanos, latencies.getTotalCount(),
                    meter.failures.sum(), meter.firstFailure.get() == null ? "" : meter.firstFailure.get().toString(),
                    probe.hellos(), probe.resumptionOffers(), probe.unreadable(),
                    meter.negotiated.get() == null ? "none" : meter.negotiated.get(), latencies);
            progress.println(report.resultLine());
            return report;
        }
    }

    /** Every connector makes attempts until {@code length} has passed. */
    private static void phase(Client client, Settings s, Meter meter, Duration length) {
        long end = System.nanoTime() + length.toNanos();
        Flux.range(0, s.connectors())
                .flatMap(i -> attempt(client, meter).repeat(() -> System.nanoTime() < end), s.connectors())
                .then()
                .block(length.plus(ATTEMPT_TIMEOUT).plus(CLOSE_TIMEOUT).plusSeconds(30));
    }

    /** Connect, handshake, ping, close: one full handshake. Failures are counted, never propagated. */
    private static Mono<Void> attempt(Client client, Meter meter) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return client.connect()
                    .flatMap(c -> Ping.ping(c).timeout(ATTEMPT_TIMEOUT)
                            .then(Mono.fromRunnable(() -> meter.completed(c, started)))
                            .onErrorResume(e -> meter.failed(e))
                            .then(Mono.defer(() -> {
                                c.close();
                                return c.onClose().timeout(CLOSE_TIMEOUT, Mono.empty());
                            })))
                    .onErrorResume(e -> meter.failed(e));
        });
    }

    /** What all connectors measured; written from every event loop at once. */
    private static final class Meter {
        final LongAdder failures = new LongAdder();
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        final AtomicReference<String> negotiated = new AtomicReference<>();
        final Recorder latencies = new Recorder(3);

        void completed(Connection c, long started) {
            latencies.recordValue(System.nanoTime() - started);
            if (negotiated.get() == null) {
                c.info().attribute(Tls.SESSION).map(HandshakeLoad::describe)
                        .ifPresent(n -> negotiated.compareAndSet(null, n));
            }
        }

        Mono<Void> failed(Throwable e) {
            failures.increment();
            firstFailure.compareAndSet(null, e);
            return Mono.empty();
        }
    }

    private static String describe(SSLSession session) {
        return session.getProtocol() + " " + session.getCipherSuite();
    }
}
