package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.autoconfigure.health.SluiceHealthAutoConfiguration;
import io.sluice.spring.boot.autoconfigure.health.SluiceHealthIndicator;
import io.sluice.spring.boot.autoconfigure.metrics.SluiceMetricsAutoConfiguration;
import io.sluice.spring.boot.autoconfigure.metrics.SluiceServerMeters;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter adds nothing unless a server is configured, and gives way to the application's own beans. */
class BackOffTest {

    @Test
    void noConfiguredServerAddsNoSluiceBean() {
        Contexts.withStarter().withUserConfiguration(EchoApplication.class)
                .run(context -> assertThat(starterBeans(context)).isEmpty());
    }

    @Test
    void onlyDisabledServersAddNoSluiceBean() {
        Contexts.withStarter().withUserConfiguration(EchoApplication.class)
                .withPropertyValues("sluice.servers.echo.enabled=false")
                .run(context -> assertThat(starterBeans(context)).isEmpty());
    }

    @Test
    void configuredServerAddsTheStartersBeans() {
        Contexts.echoServer().run(context -> assertThat(starterBeans(context)).containsExactlyInAnyOrder(
                SluiceAutoConfiguration.class.getName(), SluiceMetricsAutoConfiguration.class.getName(),
                SluiceHealthAutoConfiguration.class.getName(), SluiceProperties.class.getName(),
                SluiceServers.class.getName(), SluiceServerMeters.class.getName(),
                SluiceHealthIndicator.class.getName()));
    }

    @Test
    void applicationsOwnSluiceServersReplacesTheStarters() {
        Contexts.echoServer().withUserConfiguration(OwnServers.class).run(context -> {
            assertThat(context).hasSingleBean(SluiceServers.class);
            assertThat(context.getBean(SluiceServers.class).names()).containsExactly("mine");
            // Metrics and health still cover the application's servers.
            assertThat(context).hasSingleBean(SluiceServerMeters.class).hasSingleBean(SluiceHealthIndicator.class);
        });
    }

    @Test
    void applicationsOwnHealthIndicatorAndMetersReplaceTheStarters() {
        Contexts.echoServer().withUserConfiguration(OwnHealthAndMeters.class).run(context -> {
            assertThat(context).doesNotHaveBean(SluiceHealthIndicator.class);
            assertThat(context.getBean("sluiceHealthIndicator", HealthIndicator.class).health())
                    .isEqualTo(OwnHealthAndMeters.HEALTH);
            assertThat(context).hasSingleBean(SluiceServerMeters.class);
            assertThat(context.getBean(SluiceServerMeters.class)).isSameAs(OwnHealthAndMeters.METERS);
        });
    }

    @Test
    void withoutMicrometerNoMetersAreBound() {
        Contexts.echoServer().withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SluiceServerMeters.class);
            assertThat(context.getBean(SluiceServers.class).isRunning()).isTrue();
        });
    }

    @Test
    void withoutBootsHealthSupportNoHealthIndicatorIsAdded() {
        Contexts.echoServer().withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SluiceHealthIndicator.class);
            assertThat(context.getBean(SluiceServers.class).isRunning()).isTrue();
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        Contexts.echoServer().withPropertyValues("management.health.sluice.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SluiceHealthIndicator.class));
    }

    /** The beans whose types come from the starter's main code. */
    private static List<String> starterBeans(AssertableApplicationContext context) {
        return Arrays.stream(context.getBeanDefinitionNames())
                .map(context::getType)
                .filter(Objects::nonNull)
                .map(Class::getName)
                .filter(type -> type.startsWith("io.sluice.spring.boot."))
                .filter(type -> !type.contains("Test") && !type.contains("EchoApplication") && !type.contains("$$"))
                .toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnServers {
        @Bean
        SluiceServers mySluiceServers() {
            return new SluiceServers(Map.of("mine", Server.tcp().handler(c -> c.send(c.receive()))),
                    Duration.ofSeconds(1), List.of());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHealthAndMeters {
        static final Health HEALTH = Health.up().withDetail("mine", true).build();
        static final SluiceServerMeters METERS = new SluiceServerMeters(new NoRegistry());

        @Bean
        HealthIndicator sluiceHealthIndicator() {
            return () -> HEALTH;
        }

        @Bean
        SluiceServerMeters myMeters() {
            return METERS;
        }
    }

    /** An {@link ObjectProvider} with no registry behind it. */
    static final class NoRegistry implements ObjectProvider<MeterRegistry> {
        @Override
        public MeterRegistry getObject() {
            throw new IllegalStateException("no registry");
        }

        @Override
        public MeterRegistry getObject(Object... args) {
            throw new IllegalStateException("no registry");
        }

        @Override
        public MeterRegistry getIfAvailable() {
            return null;
        }

        @Override
        public MeterRegistry getIfUnique() {
            return null;
        }
    }
}
