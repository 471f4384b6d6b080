package io.sluice.spring.boot.autoconfigure;

import io.sluice.spring.boot.autoconfigure.health.SluiceHealthAutoConfiguration;
import io.sluice.spring.boot.autoconfigure.metrics.SluiceMetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Application contexts with the starter's auto-configurations, as Boot would apply them. */
final class Contexts {

    private Contexts() {
    }

    /** The starter and Boot's lifecycle settings ({@code spring.lifecycle.*}), nothing configured. */
    static ApplicationContextRunner withStarter() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
                LifecycleAutoConfiguration.class, SluiceAutoConfiguration.class,
                SluiceMetricsAutoConfiguration.class, SluiceHealthAutoConfiguration.class));
    }

    /** An {@code echo} server on a free port of 127.0.0.1, serving {@link EchoApplication}'s handler. */
    static ApplicationContextRunner echoServer() {
        return withStarter().withUserConfiguration(EchoApplication.class)
                .withPropertyValues("sluice.servers.echo.port=0");
    }
}
