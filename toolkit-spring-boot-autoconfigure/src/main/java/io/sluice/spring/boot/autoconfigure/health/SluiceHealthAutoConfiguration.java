package io.sluice.spring.boot.autoconfigure.health;

import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.autoconfigure.SluiceAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code sluice} health contributor, when Spring Boot's health support is on the class path; switched off
 * with {@code management.health.sluice.enabled=false}.
 */
@AutoConfiguration(after = SluiceAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SluiceServers.class)
@ConditionalOnEnabledHealthIndicator("sluice")
public class SluiceHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "sluiceHealthIndicator")
    public SluiceHealthIndicator sluiceHealthIndicator(SluiceServers servers,
            org.springframework.beans.factory.ObjectProvider<io.sluice.spring.boot.SluiceWebFluxEndpoints> mounted) {
        return new SluiceHealthIndicator(servers, mounted.getIfAvailable());
    }
}
