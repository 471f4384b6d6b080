package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.test.FaultSweep;
import io.sluice.test.SluiceTest;
import io.sluice.test.StepFault;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A runtime client whose server sends its handshake flight and closes at once, while the client's engine checks the
 * server's certificate in a delegated task: the driver holds the rest of the flight until the task ends, a moment
 * after the socket closed, and the connection waits for that release before it checks its account (it used to
 * report the buffer as a leak).
 */
class ClientEndDuringHandshakeTaskTest {

    @Test
    void theServersFlightHeldDuringATaskIsReleasedBeforeTheClientConnectionChecksItsBudget() {
        Scheduler slowTasks = Schedulers.fromExecutor(task -> Schedulers.boundedElastic().schedule(task, 300,
                TimeUnit.MILLISECONDS));
        try (ProviderEngines engines = new ProviderEngines(new ProviderPair(TlsProvider.JDK, TlsProvider.JDK))) {
            // The server answers the ClientHello (its first read), then its input is cut off: it closes.
            Server server = Server.tcp().allocator(SluiceTest.allocator())
                    .filter(LowerFaults.faultyReceive(new StepFault(FaultSweep.Kind.CANCEL, 1)))
                    .filter(Tls.over(engines.server("TLSv1.3"), TlsDriverSettings.defaults()))
                    .handler(c -> c.send(c.receive()).onErrorResume(e -> Mono.empty()))
                    .bind().block(SocketTest.TIMEOUT);
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port())
                    .filter(Tls.over(engines.client("TLSv1.3"),
                            TlsDriverSettings.defaults().withDelegatedTaskScheduler(slowTasks)))
                    .build();
            try {
                Connection c = client.connect().block(SocketTest.TIMEOUT);
                c.receive().subscribe(ByteBuf::release, e -> { });
                c.onClose().block(SocketTest.TIMEOUT);
                SocketTest.awaitNoConnections(server);
            } finally {
                client.dispose().block(SocketTest.TIMEOUT);
                server.shutdown(Duration.ofMillis(500)).block(SocketTest.TIMEOUT);
            }
            assertThat(client.metrics().leaks()).as("client connections closed with buffers outstanding").isZero();
        } finally {
            slowTasks.dispose();
        }
    }
}
