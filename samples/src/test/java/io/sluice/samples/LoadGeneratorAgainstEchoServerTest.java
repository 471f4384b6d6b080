package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.filters.tls.DevelopmentCertificate;

import io.sluice.reactor.Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The samples' smoke: the echo servers (plain, compressed and TLS) and the load generator, in-process, against each
 * other for a second.
 */
class LoadGeneratorAgainstEchoServerTest {

    @TempDir
    Path dir;

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
    void loadsTheTlsEchoTrustingAnyCertificateWithoutFailuresOrLeaks() {
        Server server = TlsEchoServer.bind(TlsEchoServer.options().parse("--port", "0", "--threads", "1"))
                .block(Duration.ofSeconds(10));
        LoadReport report;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try {
            LoadSettings settings = LoadSettings.from(LoadGenerator.options().parse(
                    "--port", String.valueOf(server.port()), "--tls", "jdk", "--trust-all",
                    "--connections", "4", "--size", "20000", "--duration", "1", "--pipeline", "2"));
            report = LoadGenerator.run(settings, new PrintStream(progress, true, StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.messages()).isPositive();
        assertThat(report.failures()).as(report.firstFailure()).isZero();
        assertThat(report.leaks()).isZero();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("TLS on jdk, trusting any server certificate");
        assertThat(server.metrics().leaks()).isZero();
        // Encrypted: records add their headers and tags to every message, both ways.
        assertThat(server.metrics().bytesIn()).isGreaterThan(report.messages() * 20000);
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @CsvSource({"openssl, bc", "bc, openssl"})
    void loadsTheTlsEchoTrustingTheCaFileItsCertificateIsIn(String serverProvider, String clientProvider) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        DevelopmentCertificate.writePem(cert, key);
        Server server = TlsEchoServer.bind(TlsEchoServer.options().parse("--port", "0", "--threads", "1",
                "--provider", serverProvider, "--cert", cert.toString(), "--key", key.toString()))
                .block(Duration.ofSeconds(10));
        LoadReport report;
        try {
            LoadSettings settings = LoadSettings.from(LoadGenerator.options().parse(
                    "--port", String.valueOf(server.port()), "--tls", clientProvider, "--ca", cert.toString(),
                    "--connections", "3", "--size", "1000", "--duration", "1"));
            report = LoadGenerator.run(settings, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.messages()).isPositive();
        assertThat(report.failures()).as(report.firstFailure()).isZero();
        assertThat(report.leaks()).isZero();
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void aTlsClientThatDoesNotTrustTheServerFailsEveryConnection() {
        Server server = TlsEchoServer.bind(TlsEchoServer.options().parse("--port", "0", "--threads", "1"))
                .block(Duration.ofSeconds(10));
        LoadReport report;
        try {
            // The system's CAs never signed the development certificate.
            LoadSettings settings = LoadSettings.from(LoadGenerator.options().parse(
                    "--port", String.valueOf(server.port()), "--tls", "jdk", "--connections", "2",
                    "--duration", "0.5"));
            report = LoadGenerator.run(settings, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8));
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(report.messages()).isZero();
        assertThat(report.failures()).isPositive();
        assertThat(report.firstFailure()).contains("TlsHandshakeException");
        assertThat(report.leaks()).isZero();
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void refusesTrustOptionsWithoutTlsAndConflictingOnes() {
        assertThatThrownBy(() -> LoadSettings.from(LoadGenerator.options().parse("--trust-all")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--trust-all and --ca need --tls PROVIDER");
        assertThatThrownBy(() -> LoadSettings.from(LoadGenerator.options().parse("--tls", "jdk", "--trust-all",
                "--ca", "ca.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--trust-all and --ca exclude each other");
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
