package io.sluice.spring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.autoconfigure.SluiceAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers each Sluice server's meters ({@link io.sluice.reactor.metrics.SluiceMeters}) in the application's
 * {@link MeterRegistry} while it runs, when Micrometer is on the class path.
 */
@AutoConfiguration(after = SluiceAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(SluiceServers.class)
public class SluiceMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public SluiceServerMeters sluiceServerMeters(ObjectProvider<MeterRegistry> registry) {
        return new SluiceServerMeters(registry);
    }
}
