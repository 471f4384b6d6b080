package io.sluice.spring.boot.starter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.Handler;
import io.sluice.reactor.Client;
import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/** With the starter as its only Sluice dependency, a plain Spring Boot application runs a configured server. */
class StarterApplicationTest {

    @Test
    void applicationWithTheStarterServesItsHandlerOnTheConfiguredServer() {
        SpringApplication application = new SpringApplication(LineApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(false);
        try (ConfigurableApplicationContext context = application.run("--sluice.servers.lines.port=0",
                "--sluice.servers.lines.framing.type=line")) {
            int port = context.getBean(SluiceServers.class).get("lines").port();
            Client client = Client.tcp().allocator(SluiceTest.allocator()).port(port).build();
            try {
                Connection c = client.connect().block(Duration.ofSeconds(5));
                c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeBytes("ping\n".getBytes(UTF_8))))
                        .block(Duration.ofSeconds(5));
                String answer = c.receive().next().map(StarterApplicationTest::text).block(Duration.ofSeconds(5));
                assertThat(answer).isEqualTo("4\n");
                c.close();
                c.onClose().block(Duration.ofSeconds(5));
            } finally {
                client.dispose().block(Duration.ofSeconds(10));
            }
        }
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(UTF_8);
        } finally {
            b.release();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class LineApplication {
        /** Answers each line with its length in bytes. */
        @Bean
        @SluiceHandler("lines")
        Handler lengths() {
            return c -> c.send(c.receive().map(line -> {
                int length = line.readableBytes();
                line.release();
                return c.budget().allocator().buffer().writeBytes(Integer.toString(length).getBytes(UTF_8));
            }));
        }
    }
}
