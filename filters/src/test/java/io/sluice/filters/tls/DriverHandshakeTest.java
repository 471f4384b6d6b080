package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.TIMEOUT;
import static io.sluice.filters.tls.TlsPipe.buffer;
import static io.sluice.filters.tls.TlsPipe.gather;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.api.pipe.Chunking;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The handshake starts on its own, whatever the application does, and what it settled is visible in the info. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class DriverHandshakeTest {

    @AutoClose
    private final ProviderEngines engines;

    DriverHandshakeTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    @Test
    void aServerThatOnlySendsStillHandshakes() {
        TlsPipe p = TlsPipe.create(engines, "TLSv1.3", Chunking.whole());
        Mono<byte[]> heard = gather(p.client.receive(), 5).cache();
        heard.subscribe();
        p.server.send(Mono.just(buffer(p.server, "hello".getBytes(US_ASCII)))).block(TIMEOUT); // never reads
        assertThat(new String(heard.block(TIMEOUT), US_ASCII)).isEqualTo("hello");
        p.server.close();
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @Test
    void aClientThatNeverReadsStillHandshakes() {
        TlsPipe p = TlsPipe.create(engines, "TLSv1.3", Chunking.whole());
        Mono<byte[]> received = gather(p.server.receive()).cache();
        received.subscribe();
        p.client.send(Mono.just(buffer(p.client, "hello".getBytes(US_ASCII)))).block(TIMEOUT); // never reads
        p.client.close();
        assertThat(new String(received.block(TIMEOUT), US_ASCII)).isEqualTo("hello");
        p.server.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @Test
    void cancellingReceiveDuringTheHandshakeDoesNotStopIt() {
        TlsPipe p = TlsPipe.create(engines, "TLSv1.2", Chunking.atMost(50));
        Disposable reading = p.client.receive().subscribe(b -> b.release());
        reading.dispose();
        Mono<byte[]> received = gather(p.server.receive()).cache();
        received.subscribe();
        p.client.send(Mono.just(buffer(p.client, "still sent".getBytes(US_ASCII)))).block(TIMEOUT);
        p.client.close();
        assertThat(new String(received.block(TIMEOUT), US_ASCII)).isEqualTo("still sent");
        p.server.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @Test
    void theSessionAndTheAlpnProtocolAreInTheInfoOnceTheHandshakeIsDone() {
        TlsPipe p = TlsPipe.create(Chunking.whole(),
                engines.client(c -> c.applicationProtocols("http/1.1", "h2")),
                engines.server(s -> s.applicationProtocols("h2", "http/1.1")),
                TlsDriverSettings.defaults()).echo();
        Mono<byte[]> echoed = gather(p.client.receive(), 2).cache();
        echoed.subscribe();
        p.client.send(Mono.just(buffer(p.client, "hi".getBytes(US_ASCII)))).block(TIMEOUT);
        echoed.block(TIMEOUT); // the client's handshake is done once data came back
        assertThat(p.client.info().attribute(Tls.APPLICATION_PROTOCOL)).hasValue("h2");
        assertThat(p.server.info().attribute(Tls.APPLICATION_PROTOCOL)).hasValue("h2");
        SSLSession session = p.client.info().attribute(Tls.SESSION).orElseThrow();
        assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(p.client.info().id()).isEqualTo("pipe-left");
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @Test
    void withoutAlpnThereIsNoProtocolAndBeforeTheHandshakeNoSession() {
        Pipe pipe = TrackedPipes.create();
        Connection server = Tls.over(engines.server("TLSv1.2"), TlsDriverSettings.defaults()).apply(pipe.right());
        assertThat(server.info().attribute(Tls.SESSION)).as("before the client said anything").isEmpty();
        Connection client = Tls.over(engines.client("TLSv1.2"), TlsDriverSettings.defaults()).apply(pipe.left());
        TlsPipe p = new TlsPipe(pipe, client, server).echo();
        Mono<byte[]> echoed = gather(p.client.receive(), 2).cache();
        echoed.subscribe();
        p.client.send(Mono.just(buffer(p.client, "hi".getBytes(US_ASCII)))).block(TIMEOUT);
        echoed.block(TIMEOUT);
        assertThat(p.client.info().attribute(Tls.SESSION)).isPresent();
        assertThat(p.client.info().attribute(Tls.APPLICATION_PROTOCOL)).isEmpty();
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @Test
    void mutualTlsShowsTheClientsCertificateToTheServer() throws Exception {
        TlsPipe p = TlsPipe.create(Chunking.whole(), engines.client(c -> c.keyMaterial(Fixtures.CLIENT)),
                engines.server(s -> s.clientAuth(ClientAuth.REQUIRE).trust(Fixtures.CA)),
                TlsDriverSettings.defaults()).echo();
        Mono<byte[]> echoed = gather(p.client.receive(), 2).cache();
        echoed.subscribe();
        p.client.send(Mono.just(buffer(p.client, "hi".getBytes(US_ASCII)))).block(TIMEOUT);
        echoed.block(TIMEOUT);
        SSLSession session = p.server.info().attribute(Tls.SESSION).orElseThrow();
        assertThat(session.getPeerPrincipal().getName()).isEqualTo("CN=Sluice Test Client");
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }

    @Test
    void delegatedTasksRunOnTheConfiguredScheduler() {
        AtomicInteger tasks = new AtomicInteger();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Scheduler counted = Schedulers.fromExecutorService(executor, "counted-tls-tasks");
        Schedulers.onScheduleHook("count", r -> () -> {
            if (Thread.currentThread().getName().startsWith("pool-")) {
                tasks.incrementAndGet();
            }
            r.run();
        });
        try {
            TlsDriverSettings settings = TlsDriverSettings.defaults().withDelegatedTaskScheduler(counted);
            TlsPipe p = TlsPipe.create(Chunking.whole(), engines.client(c -> c), engines.server(s -> s), settings)
                    .echo();
            Mono<byte[]> echoed = gather(p.client.receive(), 2).cache();
            echoed.subscribe();
            p.client.send(Mono.just(buffer(p.client, "hi".getBytes(US_ASCII)))).block(TIMEOUT);
            assertThat(echoed.block(TIMEOUT)).hasSize(2);
            p.client.close();
            p.awaitBothClosed();
            p.closeAndAwait();
        } finally {
            Schedulers.resetOnScheduleHook("count");
            counted.dispose();
        }
        if (engines.providers.server() == TlsProvider.BOUNCY_CASTLE
                && engines.providers.client() == TlsProvider.BOUNCY_CASTLE) {
            assertThat(tasks).as("Bouncy Castle does all its work inside wrap and unwrap: no delegated tasks").hasValue(0);
        } else {
            assertThat(tasks).as("delegated tasks run on the configured scheduler's threads").hasPositiveValue();
        }
    }
}
