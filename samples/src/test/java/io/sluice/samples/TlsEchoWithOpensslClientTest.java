package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.reactor.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tls-echo sample against a client nobody here wrote: {@code openssl s_client -quiet}, which prints exactly
 * the application bytes it receives. Each run is bounded: the test keeps s_client's input open until the echo is
 * complete or a deadline passes, then closes it, upon which s_client ({@code -no_ign_eof}) sends close_notify and
 * exits; a process still running a few seconds later is killed.
 */
class TlsEchoWithOpensslClientTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String LINES = "hello over TLS\nsecond line, a little longer than the first\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--provider {0}")
    @ValueSource(strings = {"jdk", "bc", "openssl"})
    void echoesWhatOpensslSendsOnTheDevelopmentCertificate(String provider) throws Exception {
        Server server = TlsEchoServer.bind(TlsEchoServer.options()
                .parse("--port", "0", "--threads", "1", "--provider", provider)).block(Duration.ofSeconds(10));
        String echoed;
        try {
            echoed = sClient(server.port());
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(echoed).isEqualTo(LINES);
        assertThat(server.metrics().leaks()).isZero();
        assertThat(server.metrics().outstandingBytes()).isZero();
    }

    @ParameterizedTest(name = "--provider {0}")
    @ValueSource(strings = {"jdk", "bc", "openssl"})
    void servesTheCertificateGivenByCertAndKeyWhichOpensslVerifies(String provider) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        // A certificate this JVM did not make: openssl's own, EC P-256, for 127.0.0.1.
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=tls-echo test",
                "-addext", "subjectAltName=IP:127.0.0.1");
        Server server = TlsEchoServer.bind(TlsEchoServer.options().parse("--port", "0", "--threads", "1",
                "--provider", provider, "--cert", cert.toString(), "--key", key.toString()))
                .block(Duration.ofSeconds(10));
        String echoed;
        try {
            echoed = sClient(server.port(), "-CAfile", cert.toString(), "-verify_return_error",
                    "-verify_ip", "127.0.0.1");
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(echoed).isEqualTo(LINES);
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void refusesACertificateWithoutItsKey() {
        assertThatThrownBy(() -> TlsEchoServer.tlsOptions(TlsEchoServer.options().parse("--cert", "c.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--cert and --key go together");
        assertThatThrownBy(() -> TlsEchoServer.tlsOptions(TlsEchoServer.options().parse("--provider", "nss")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown TLS provider 'nss'");
    }

    /**
     * Runs {@code openssl s_client -connect 127.0.0.1:PORT -quiet -no_ign_eof ARGS}, writes {@link #LINES} and
     * returns what it printed once that is as long as {@link #LINES}, or whatever it printed by the deadline.
     */
    private String sClient(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-quiet", "-no_ign_eof"));
        command.addAll(List.of(args));
        Path errors = dir.resolve("s_client.err");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            OutputStream in = process.getOutputStream();
            in.write(LINES.getBytes(StandardCharsets.UTF_8));
            in.flush(); // and leave it open: at its end, s_client would stop reading
            InputStream stdout = process.getInputStream();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            byte[] chunk = new byte[4096];
            while (out.size() < LINES.length() && System.nanoTime() < deadline) {
                int available = stdout.available();
                if (available > 0) {
                    out.write(chunk, 0, stdout.read(chunk, 0, Math.min(available, chunk.length)));
                } else if (process.isAlive()) {
                    Thread.sleep(20);
                } else {
                    out.write(stdout.readAllBytes()); // it exited (a failed handshake, say): take what is left
                    break;
                }
            }
            process.getOutputStream().close();
        } finally {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).as("what %s printed; its stderr: %s", command, Files.readString(errors)).isNotEmpty();
        return printed;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("%s: %s", List.of(command), new String(output, StandardCharsets.UTF_8))
                .isZero();
    }
}
