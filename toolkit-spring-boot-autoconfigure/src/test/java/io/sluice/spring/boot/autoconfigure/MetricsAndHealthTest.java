package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.spring.boot.SluiceServers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A running server's meters are in the application's registry and its state in the health contributor. */
class MetricsAndHealthTest {

    @Test
    void serversMetersAreRegisteredWhileItRunsAndFreshAfterARestart() {
        Contexts.echoServer().withUserConfiguration(Registry.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            SluiceServers servers = context.getBean(SluiceServers.class);
            EchoPeer.roundTrip(servers.get("echo").port(), "count me");
            assertThat(registry.get("sluice.connections.accepted").tag("name", "echo").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("sluice.bytes.in").tag("name", "echo").functionCounter().count())
                    .isEqualTo("count me".length());

            context.stop();
            assertThat(registry.find("sluice.connections.accepted").tag("name", "echo").meters()).isEmpty();

            context.start();
            assertThat(registry.get("sluice.connections.accepted").tag("name", "echo").functionCounter().count())
                    .isZero();
        });
    }

    @Test
    void healthIsUpWithEachServersAddressWhileAllAreBoundAndDownOnceStopped() {
        Contexts.echoServer().run(context -> {
            HealthIndicator indicator = context.getBean("sluiceHealthIndicator", HealthIndicator.class);
            int port = context.getBean(SluiceServers.class).get("echo").port();
            EchoPeer.roundTrip(port, "hi");

            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(echoDetails(up)).containsEntry("bound", true)
                    .containsEntry("address", "127.0.0.1:" + port)
                    .containsEntry("accepted", 1L)
                    .containsEntry("leaks", 0L);
            assertThat(up.getDetails()).containsKey("processLeaks");

            context.stop();
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(echoDetails(down)).containsExactly(Map.entry("bound", false));
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> echoDetails(Health health) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("servers")).get("echo");
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
