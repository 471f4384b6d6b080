package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

/** A Spring Boot application that cannot start says why in its failure report, naming the property to change. */
@ExtendWith(OutputCaptureExtension.class)
class FailureReportTest {

    @Test
    void portInUseIsReportedWithTheServerTheAddressAndThePortProperty(CapturedOutput output) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertStartFails("--sluice.servers.echo.port=" + port);
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("Sluice server 'echo' could not start: 127.0.0.1:" + port + " is already in use.")
                    .contains("Stop the process listening on port " + port + ", or set sluice.servers.echo.port "
                            + "to another port (0 picks a free one).");
        }
    }

    @Test
    void unknownCodecIsReportedWithThePropertyAndTheCodecsThereAre(CapturedOutput output) {
        assertStartFails("--sluice.servers.echo.compression.codec=lzma");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: sluice.servers.echo.compression.codec")
                .contains("Value: \"lzma\"")
                .contains("The following values are valid:")
                .contains("    BROTLI", "    DEFLATE", "    DEFLATE_RAW", "    GZIP", "    ZSTD");
    }

    @Test
    void refusedValueIsReportedWithItsPropertyAndTheReason(CapturedOutput output) {
        assertStartFails("--sluice.servers.echo.compression.codec=zstd", "--sluice.servers.echo.compression.level=30");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value '30' for configuration property 'sluice.servers.echo.compression.level'")
                .contains("zstd level must be in 1..22, got 30");
    }

    @Test
    void missingHandlerIsReportedWithWhatToAdd(CapturedOutput output) {
        assertStartFails("--sluice.servers.echo.port=0", "--sluice.servers.chat.port=0");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Sluice server 'chat' (configured under sluice.servers.chat) has no handler.")
                .contains("Define a Handler bean annotated @SluiceHandler(\"chat\")");
    }

    private static void assertStartFails(String... args) {
        SpringApplication application = new SpringApplication(ReportedApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(false);
        assertThatThrownBy(() -> application.run(args).close()).isInstanceOf(RuntimeException.class);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(EchoApplication.class)
    static class ReportedApplication {
    }
}
