package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.buffer;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.FaultSweep;
import io.sluice.test.StepFault;
import java.time.Duration;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A cancel or an error at every step, on either side, in either direction, during the handshake and after it, on
 * every provider: each run ends with both connections closed, both budgets at zero and every buffer released (the
 * sweep checks), and every engine released (the engines check).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class FaultSweepTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    /**
     * Delegated tasks run inline, so that all of a run happens on the threads of the pipe's signals: the sweep checks
     * each budget the moment its end closes, and a driver busy on a task thread at that moment would still hold the
     * record it is working on. (Over sockets the driver resumes on the event loop, which is where the runtime
     * checks the budget too.) A client whose last handshake records were cut off waits for an answer that cannot
     * come until the handshake timeout, kept short here.
     */
    private static final TlsDriverSettings SETTINGS = TlsDriverSettings.defaults()
            .withHandshakeTimeout(Duration.ofSeconds(1))
            .withCloseNotifyTimeout(Duration.ofMillis(500))
            .withDelegatedTaskScheduler(Schedulers.immediate());

    @AutoClose
    private final ProviderEngines engines;

    FaultSweepTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aFaultInTheClientsDataAtAnyStep(String protocol) {
        FaultSweep.steps(10).chunking(Chunking.atMost(700)).run((fault, pipe) -> {
            TlsPipe p = tls(pipe, protocol, (end, side) -> end).echo();
            p.client.receive().subscribe(ByteBuf::release, e -> { });
            Flux<ByteBuf> data = Flux.range(0, 10).map(i -> buffer(p.client, new byte[1000]));
            p.client.send(data.transform(fault.operator())).onErrorResume(e -> Mono.empty()).block(BOUND);
            closeBoth(p);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aFaultInTheServersReceiveAtAnyStep(String protocol) {
        FaultSweep.steps(10).chunking(Chunking.atMost(700)).run((fault, pipe) -> {
            TlsPipe p = tls(pipe, protocol, (end, side) -> end);
            p.server.receive().transform(fault.operator()).subscribe(ByteBuf::release, e -> { });
            Flux<ByteBuf> data = Flux.range(0, 10).map(i -> buffer(p.client, new byte[1000]));
            p.client.send(data).onErrorResume(e -> Mono.empty()).block(BOUND);
            closeBoth(p);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"client", "server"})
    void aFaultInTheRecordsReceivedAtAnyStepOfTheHandshakeAndAfter(String side) {
        // Reads of at most 150 bytes: the handshake alone is some 30 reads on the client and 5 on the server.
        FaultSweep.steps(45).chunking(Chunking.atMost(150)).run((fault, pipe) -> {
            TlsPipe p = tls(pipe, "TLSv1.3", (end, s) -> s.equals(side) ? faultyReceive(end, fault) : end).echo();
            exchange(p);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"client", "server"})
    void aFaultInTheRecordsSentAtAnyStepOfTheHandshakeAndAfter(String side) {
        FaultSweep.steps(12).chunking(Chunking.atMost(150)).run((fault, pipe) -> {
            TlsPipe p = tls(pipe, "TLSv1.2", (end, s) -> s.equals(side) ? faultySend(end, fault) : end).echo();
            exchange(p);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"client", "server"})
    void aResetAtAnyStepOfTheHandshakeAndAfter(String side) {
        FaultSweep.steps(30).kinds(FaultSweep.Kind.CANCEL).chunking(Chunking.atMost(150)).run((fault, pipe) -> {
            TlsPipe p = tls(pipe, "TLSv1.3", (end, s) -> s.equals(side) ? resetAfter(end, fault.step()) : end)
                    .echo();
            exchange(p);
        });
    }

    /** The client sends three messages and reads what comes back, ignoring failures; then both close. */
    private static void exchange(TlsPipe p) {
        p.client.receive().subscribe(ByteBuf::release, e -> { });
        Flux<ByteBuf> data = Flux.range(0, 3).map(i -> buffer(p.client, new byte[2000]));
        p.client.send(data).onErrorResume(e -> Mono.empty()).block(BOUND);
        closeBoth(p);
    }

    private TlsPipe tls(Pipe pipe, String protocol, BiFunction<Pipe.End, String, Connection> lower) {
        Connection client = Tls.over(engines.client(protocol), SETTINGS).apply(lower.apply(pipe.left(), "client"));
        Connection server = Tls.over(engines.server(protocol), SETTINGS).apply(lower.apply(pipe.right(), "server"));
        return new TlsPipe(pipe, client, server);
    }

    /** Closes both TLS connections and waits (bounded) until each has closed its end of the pipe. */
    private static void closeBoth(TlsPipe p) {
        p.client.close();
        p.server.close();
        Mono.when(p.pipe.left().onClose(), p.pipe.right().onClose()).block(BOUND);
    }

    private static Connection faultyReceive(Pipe.End end, StepFault fault) {
        return new ConnectionLayer(end) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().transform(fault.operator());
            }
        };
    }

    private static Connection faultySend(Pipe.End end, StepFault fault) {
        return new ConnectionLayer(end) {
            @Override
            public Mono<Void> send(Publisher<? extends ByteBuf> data) {
                return lower.send(Flux.<ByteBuf>from(data).transform(fault.operator()));
            }
        };
    }

    /** The end is reset after it has received {@code n} buffers. */
    private static Connection resetAfter(Pipe.End end, int n) {
        return new ConnectionLayer(end) {
            @Override
            public Flux<ByteBuf> receive() {
                int[] seen = new int[1];
                return lower.receive().doOnNext(b -> {
                    if (++seen[0] == n) {
                        end.reset();
                    }
                });
            }
        };
    }
}
