package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.Filter;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.FaultSweep;
import io.sluice.test.SluiceTest;
import io.sluice.test.StepFault;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Over real sockets, the records one side receives are cut off (cancelled, or failed) after every number of reads,
 * from the first read of the handshake to after the echo: every connection ends closed on both sides, and neither
 * the server nor the client holds a buffer afterwards, on every provider pair. Reads are small (the other side
 * writes a byte at a time), so the steps fall all through the handshake.
 *
 * <p>A server that closes right after its flight meets a JDK or OpenSSL client in the middle of a delegated task, the
 * race {@link ClientEndDuringHandshakeTaskTest} shows on its own: the client's connection waits for the driver to let
 * go of that flight before it checks its account.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class SocketFaultSweepTest {

    /** Reads after which the fault strikes: 0 (before the first) to well after the handshake. */
    private static final int STEPS = 12;
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final TlsDriverSettings SETTINGS = TlsDriverSettings.defaults()
            .withHandshakeTimeout(Duration.ofSeconds(2)).withCloseNotifyTimeout(Duration.ofMillis(500));

    enum Side { CLIENT, SERVER }

    @AutoClose
    private final ProviderEngines engines;

    SocketFaultSweepTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aFaultInTheRecordsReceivedAtAnyStepLeavesNothingBehind(Side side) {
        Queue<StepFault> faults = new ConcurrentLinkedQueue<>();
        // Each new connection takes the next fault on the chosen side; the other side writes a byte at a time.
        Filter faulty = lower -> LowerFaults.faultyReceive(faults.remove()).apply(lower);
        ProviderEngines sides = engines;
        Server server = Server.tcp().allocator(SluiceTest.allocator()).eventLoopThreads(1)
                .filter(side == Side.SERVER ? faulty : LowerFaults.oneBytePerWrite())
                .filter(Tls.over(sides.server("TLSv1.3"), SETTINGS))
                .handler(c -> c.send(c.receive()).onErrorResume(e -> Mono.empty()))
                .bind().block(BOUND);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).eventLoopThreads(1).port(server.port())
                .filter(side == Side.CLIENT ? faulty : LowerFaults.oneBytePerWrite())
                .filter(Tls.over(sides.client("TLSv1.3"), SETTINGS))
                .build();
        try {
            for (FaultSweep.Kind kind : FaultSweep.Kind.values()) {
                for (int step = 0; step <= STEPS; step++) {
                    StepFault fault = new StepFault(kind, step);
                    faults.add(fault);
                    exchange(server, client, fault);
                }
            }
        } finally {
            client.dispose().block(BOUND);
            server.shutdown(Duration.ofMillis(500)).block(BOUND);
        }
        assertThat(server.metrics().closed()).isEqualTo(server.metrics().accepted()).isEqualTo(2L * (STEPS + 1));
    }

    /** One connection: the client sends three messages and reads the echo, whatever fails; then all is closed. */
    private static void exchange(Server server, Client client, StepFault fault) {
        try {
            Connection c = client.connect().block(BOUND);
            c.receive().subscribe(ByteBuf::release, e -> { });
            Flux<ByteBuf> data = Flux.range(0, 3).map(i -> TlsPipe.buffer(c, new byte[500]));
            c.send(data).onErrorResume(e -> Mono.empty()).block(BOUND);
            c.close();
            c.onClose().block(BOUND);
            SocketTest.awaitNoConnections(server);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(fault + ": " + e, e);
        }
        assertThat(client.connections().active()).as("%s", fault).isZero();
        assertThat(server.metrics().leaks()).as("%s", fault).isZero();
        assertThat(server.metrics().outstandingBytes()).as("%s", fault).isZero();
        assertThat(client.metrics().leaks()).as("%s", fault).isZero();
        assertThat(client.metrics().outstandingBytes()).as("%s", fault).isZero();
    }
}
