package io.sluice.spring.boot.starter;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.tcp.TcpServer;

/**
 * The starter brings Reactor and Netty at Sluice's versions (the parent pom's), not at the older ones Spring Boot
 * 4.0.7 manages (reactor-bom 2025.0.6, Netty 4.2.15.Final): its pom imports our BOMs before Boot's.
 */
class StarterDependenciesTest {

    @Test
    void nettyIsAtTheVersionSluiceIsBuiltWith() {
        String expected = System.getProperty("sluice.netty.version");
        assertThat(expected).as("set by the surefire configuration").isNotBlank();
        assertThat(Version.identify().get("netty-common").artifactVersion()).isEqualTo(expected);
        assertThat(Version.identify().get("netty-transport").artifactVersion()).isEqualTo(expected);
    }

    @Test
    void reactorIsAtTheVersionsOfSluicesReactorBom() throws Exception {
        String bom = Files.readString(Path.of(System.getProperty("sluice.reactor-bom.pom")));
        assertThat(Flux.class.getPackage().getImplementationVersion()).isEqualTo(managed(bom, "reactor-core"));
        assertThat(TcpServer.class.getPackage().getImplementationVersion())
                .isEqualTo(managed(bom, "reactor-netty-core"));
    }

    private static String managed(String bom, String artifactId) {
        Matcher m = Pattern.compile("<artifactId>" + artifactId + "</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(bom);
        assertThat(m.find()).as(artifactId + " in the reactor BOM").isTrue();
        return m.group(1);
    }
}
