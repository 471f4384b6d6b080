package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The samples' smoke: the echo servers (plain and compressed) and the load generator, in-process, against each other
 * for a second.
 */
class LoadGeneratorAgainstEchoServerTest {

    @Test
    void echoesEveryMessageWithoutFailuresOrLeaks() {
        Server server = EchoServer.bind(EchoServer.options().parse("--port", "0", "--threads", "1"))
                .block(Duration.ofSeconds(10));
        LoadReport report;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try {
            LoadSettings settings = LoadSettings.from(LoadGenerator.options().parse(
                    "--port", String.valueOf(server.port()), "--connections", "4", "--size", "100",
                    "--duration", "1", "--pipeline", "2"));
            report = LoadGenerator.run(settings, new PrintStream(progress, true, StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.connections()).isEqualTo(4);
        assertThat(report.messages()).isPositive();
        assertThat(report.failures()).as(report.firstFailure()).isZero();
        assertThat(report.leaks()).isZero();
        assertThat(report.resultLine()).startsWith("RESULT connections=4 size=100 ").contains(" failures=0 ");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("msgs/s");
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().bytesIn()).isEqualTo(server.metrics().bytesOut());
    }

    @Test
    void loadsTheCompressedEchoWithTheSameCodecWithoutFailuresOrLeaks() {
        Server server = CompressedEchoServer.bind(CompressedEchoServer.options()
                .parse("--port", "0", "--codec", "deflate", "--threads", "1")).block(Duration.ofSeconds(10));
        LoadReport report;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try {
            LoadSettings settings = LoadSettings.from(LoadGenerator.options().parse(
                    "--port", String.valueOf(server.port()), "--codec", "deflate", "--level", "1",
                    "--connections", "4", "--size", "300", "--duration", "1", "--pipeline", "3"));
            report = LoadGenerator.run(settings, new PrintStream(progress, true, StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.connections()).isEqualTo(4);
        assertThat(report.messages()).isPositive();
        assertThat(report.failures()).as(report.firstFailure()).isZero();
        assertThat(report.leaks()).isZero();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("compressing with deflate level 1");
        assertThat(server.metrics().leaks()).isZero();
        // Repetitive payloads compress: far fewer bytes cross the wire than the payload counted both ways.
        assertThat(server.metrics().bytesIn()).isLessThan(report.messages() * 300 / 2);
    }

    @Test
    void pacedRunStaysNearTheRequestedRate() {
        Server server = EchoServer.bind(EchoServer.options().parse("--port", "0", "--threads", "1"))
                .block(Duration.ofSeconds(10));
        LoadReport report;
        try {
            LoadSettings settings = LoadSettings.from(LoadGenerator.options().parse(
                    "--port", String.valueOf(server.port()), "--connections", "2", "--rate", "200",
                    "--duration", "1"));
            report = LoadGenerator.run(settings, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.failures()).as(report.firstFailure()).isZero();
        assertThat(report.msgsPerSec()).isBetween(120.0, 260.0);
    }
}
