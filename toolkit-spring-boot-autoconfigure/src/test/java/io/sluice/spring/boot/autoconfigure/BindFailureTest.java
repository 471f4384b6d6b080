package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceServerBindException;
import io.sluice.spring.boot.SluiceServerListener;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A server that cannot bind fails startup naming the server and its address, and leaves nothing bound. */
class BindFailureTest {

    @Test
    void portInUseFailsStartupNamingTheServerAndThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Contexts.echoServer().withPropertyValues("sluice.servers.echo.port=" + port).run(context -> {
                assertThat(context).hasFailed();
                SluiceServerBindException failure = Failures
                        .find(context.getStartupFailure(), SluiceServerBindException.class)
                        .orElseThrow(() -> new AssertionError(Failures.messages(context.getStartupFailure())));
                assertThat(failure.serverName()).isEqualTo("echo");
                assertThat(failure.host()).isEqualTo("127.0.0.1");
                assertThat(failure.port()).isEqualTo(port);
                assertThat(failure.addressInUse()).isTrue();
                assertThat(failure).hasMessageStartingWith(
                        "Sluice server 'echo' could not bind 127.0.0.1:" + port + ": ");
            });
        }
    }

    @Test
    void serversBoundBeforeTheFailingOneAreShutDown() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Contexts.withStarter().withUserConfiguration(EchoApplication.class, Handlers.Chat.class,
                            BoundServers.class)
                    .withPropertyValues("sluice.servers.echo.port=0",
                            "sluice.servers.chat.port=" + taken.getLocalPort())
                    .run(context -> {
                        assertThat(context).hasFailed();
                        Server echo = BoundServers.SEEN.remove("echo");
                        assertThat(echo).isNotNull();
                        echo.onShutdown().block(Duration.ofSeconds(10));
                        assertThat(BoundServers.SEEN).isEmpty();
                    });
        }
    }

    /** Remembers the servers that bound (the context that made them is gone by the time the test looks). */
    @Configuration(proxyBeanMethods = false)
    static class BoundServers {
        static final Map<String, Server> SEEN = new ConcurrentHashMap<>();

        @Bean
        SluiceServerListener remember() {
            return new SluiceServerListener() {
                @Override
                public void bound(String name, Server server) {
                    SEEN.put(name, server);
                }
            };
        }
    }
}
