package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.api.ConnectionResetException;
import io.sluice.api.Filter;
import io.sluice.filters.compression.Codec;
import io.sluice.filters.compression.Compression;
import io.sluice.filters.proxy.ProxyProtocol;
import io.sluice.filters.proxy.ProxyVersion;
import io.sluice.reactor.Client;
import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceServerCustomizer;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.test.SluiceTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/** A server configured under {@code sluice.servers.<name>} serves its handler bean to real TCP clients. */
class ServerFromPropertiesTest {

    @Test
    void configuredServerEchoesWhatARealClientSends() {
        Contexts.echoServer().run(context -> {
            Server server = context.getBean(SluiceServers.class).get("echo");
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.port()).isPositive();
            assertThat(EchoPeer.roundTrip(server.port(), "hello, sluice")).isEqualTo("hello, sluice");
            assertThat(server.metrics().bytesIn()).isEqualTo("hello, sluice".length());
        });
    }

    @Test
    void compressionAndFramingFromPropertiesAreStackedOnEveryConnection() {
        Contexts.echoServer()
                .withPropertyValues("sluice.servers.echo.compression.codec=gzip",
                        "sluice.servers.echo.compression.level=9",
                        "sluice.servers.echo.framing.type=line",
                        "sluice.servers.echo.framing.max-frame-length=1KB")
                .run(context -> {
                    int port = context.getBean(SluiceServers.class).get("echo").port();
                    // The client speaks gzip below the lines it sends; the server decompresses, frames, echoes
                    // each line and compresses the answer.
                    assertThat(EchoPeer.roundTrip(port, "one\ntwo\n", Compression.of(Codec.GZIP)))
                            .isEqualTo("one\ntwo\n");
                    Server server = context.getBean(SluiceServers.class).get("echo");
                    assertThat(server.metrics().leaks()).isZero();
                });
    }

    @Test
    void aRateLimitFromPropertiesPacesEveryConnection() {
        Contexts.echoServer()
                .withPropertyValues("sluice.servers.echo.rate-limit.receive-rate=48KB",
                        "sluice.servers.echo.rate-limit.burst=1KB")
                .run(context -> {
                    int port = context.getBean(SluiceServers.class).get("echo").port();
                    String text = "r".repeat(160 * 1024);
                    long start = System.nanoTime();
                    assertThat(EchoPeer.roundTrip(port, text)).isEqualTo(text);
                    // At 48 KiB/s, less the burst and one read of at most 64 KiB: about 2 s, never less. Only the
                    // lower bound is checked; a loaded machine can only be slower.
                    assertThat(Duration.ofNanos(System.nanoTime() - start))
                            .isGreaterThan(Duration.ofMillis((160 - 1 - 64) * 1000L / 48 - 100));
                });
    }

    @Test
    void aProxyProtocolHeaderFromPropertiesIsReadBeforeTheHandler() {
        Filter header = ProxyProtocol.client(ProxyVersion.V1).source(new InetSocketAddress("203.0.113.7", 56324))
                .destination(new InetSocketAddress("192.0.2.1", 443)).build();
        Contexts.echoServer()
                .withPropertyValues("sluice.servers.echo.proxy-protocol.enabled=true",
                        "sluice.servers.echo.proxy-protocol.versions=v1,v2",
                        "sluice.servers.echo.proxy-protocol.trusted-sources=127.0.0.0/8,::1")
                .run(context -> {
                    int port = context.getBean(SluiceServers.class).get("echo").port();
                    // The header is taken off: the handler echoes only what follows it.
                    assertThat(EchoPeer.roundTrip(port, "behind a balancer", header)).isEqualTo("behind a balancer");
                    // No header: refused, as the specification asks, so nothing comes back.
                    assertThat(answerOfARefusal(port, "no header")).isEmpty();
                });
    }

    @Test
    void aProxyProtocolHeaderFromAnUntrustedSourceIsRefused() {
        Filter header = ProxyProtocol.client(ProxyVersion.V2).build();
        Contexts.echoServer()
                .withPropertyValues("sluice.servers.echo.proxy-protocol.enabled=true",
                        "sluice.servers.echo.proxy-protocol.trusted-sources=10.0.0.0/8")
                .run(context -> {
                    int port = context.getBean(SluiceServers.class).get("echo").port();
                    assertThat(answerOfARefusal(port, "from 127.0.0.1", header)).isEmpty();
                });
    }

    /** What comes back from a server that refuses the connection: nothing, whether it closes or resets it. */
    private static String answerOfARefusal(int port, String text, Filter... filters) {
        try {
            return EchoPeer.roundTrip(port, text, filters);
        } catch (RuntimeException e) {
            // The server closed with the client's bytes unread, which TCP turns into a reset.
            assertThat(Exceptions.unwrap(e)).isInstanceOf(ConnectionResetException.class);
            return "";
        }
    }

    @Test
    void codecNamesAreReadAsTheyAreWrittenOnCommandLines() {
        Contexts.echoServer().withPropertyValues("sluice.servers.echo.compression.codec=deflate-raw").run(context -> {
            int port = context.getBean(SluiceServers.class).get("echo").port();
            assertThat(EchoPeer.roundTrip(port, "raw deflate", Compression.of(Codec.DEFLATE_RAW)))
                    .isEqualTo("raw deflate");
        });
    }

    @Test
    void aHighWaterMarkAloneBringsTheLowOneToHalfOfIt() {
        // 64 KiB high (below the default low mark of 256 KiB) is accepted: the low mark follows it.
        Contexts.echoServer().withPropertyValues("sluice.servers.echo.budget.high-water-mark=64KB").run(context -> {
            assertThat(context).hasNotFailed();
            int port = context.getBean(SluiceServers.class).get("echo").port();
            assertThat(EchoPeer.roundTrip(port, "small budget")).isEqualTo("small budget");
        });
    }

    @Test
    void customizersAdjustTheBuilderAfterTheProperties() {
        Contexts.echoServer()
                .withPropertyValues("sluice.servers.echo.max-connections=100")
                .withUserConfiguration(OneConnectionOnly.class)
                .run(context -> {
                    Server server = context.getBean(SluiceServers.class).get("echo");
                    Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
                    try {
                        Connection first = client.connect().block(Duration.ofSeconds(5));
                        awaitAccepted(server, 1);
                        client.connect().flatMap(second -> second.receive().then())
                                .onErrorResume(e -> Mono.empty())
                                .block(Duration.ofSeconds(5));
                        assertThat(server.metrics().refused()).isEqualTo(1);
                        first.close();
                        first.onClose().block(Duration.ofSeconds(5));
                    } finally {
                        client.dispose().block(Duration.ofSeconds(10));
                    }
                });
    }

    @Test
    void serversAreBoundWhenTheContextHasStartedBeforeItIsReady() {
        Contexts.echoServer().withUserConfiguration(PortAtRefresh.class).run(context -> {
            assertThat(context.getBean(PortAtRefresh.class).port.get()).isPositive()
                    .isEqualTo(context.getBean(SluiceServers.class).get("echo").port());
        });
    }

    @Test
    void aStoppedContextReleasesItsServersAndBindsThemAgainWhenRestarted() {
        Contexts.echoServer().run(context -> {
            SluiceServers servers = context.getBean(SluiceServers.class);
            context.stop();
            assertThat(servers.isRunning()).isFalse();
            assertThat(servers.running()).isEmpty();
            context.start();
            assertThat(EchoPeer.roundTrip(servers.get("echo").port(), "again")).isEqualTo("again");
        });
    }

    private static void awaitAccepted(Server server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.metrics().accepted() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OneConnectionOnly {
        @Bean
        SluiceServerCustomizer oneConnection() {
            return (name, server) -> server.maxConnections(1);
        }
    }

    /** Reads the server's port when the context has been refreshed, before any "ready" event. */
    static class PortAtRefresh implements ApplicationListener<ContextRefreshedEvent> {
        final AtomicInteger port = new AtomicInteger();

        @Override
        public void onApplicationEvent(ContextRefreshedEvent event) {
            port.set(event.getApplicationContext().getBean(SluiceServers.class).get("echo").port());
        }
    }
}
