package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The jar carries the metadata IDEs complete {@code sluice.*} from, generated from the properties classes. */
class ConfigurationMetadataTest {

    @Test
    void generatedMetadataDescribesTheServersMapAndTheHealthSwitch() throws Exception {
        String metadata = read("META-INF/spring-configuration-metadata.json");
        assertThat(metadata)
                .contains("\"name\": \"sluice.servers\"")
                .contains("java.util.Map<java.lang.String,io.sluice.spring.boot.autoconfigure.SluiceServerProperties>")
                .contains("\"name\": \"management.health.sluice.enabled\"");
    }

    @Test
    void autoConfigurationsAreRegisteredTheSpringBootWay() throws Exception {
        assertThat(read("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports").lines())
                .containsExactly(SluiceAutoConfiguration.class.getName(),
                        io.sluice.spring.boot.autoconfigure.metrics.SluiceMetricsAutoConfiguration.class.getName(),
                        io.sluice.spring.boot.autoconfigure.health.SluiceHealthAutoConfiguration.class.getName(),
                        io.sluice.spring.boot.autoconfigure.webflux.SluiceWebFluxAutoConfiguration.class.getName());
    }

    private static String read(String resource) throws Exception {
        try (InputStream in = ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
