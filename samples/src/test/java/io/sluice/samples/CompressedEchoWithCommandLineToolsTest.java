package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compressed-echo sample against peers nobody here wrote: the usual compressors and netcat, in the exact
 * pipeline its Javadoc shows. {@code nc -N} shuts its output at the end of its input, which ends the server's
 * echo; the decompressor then needs the server's stream to be whole, end included, to exit 0.
 */
class CompressedEchoWithCommandLineToolsTest {

    private static final long PIPELINE_TIMEOUT_SECONDS = 30;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1} FILE | nc -N | {2}")
    @CsvSource({
        "gzip,    gzip -c,    gzip -d",
        "brotli,  brotli -c,  brotli -d",
        "zstd,    zstd -c,    zstd -d",
        "deflate, pigz -z -c, pigz -dz",
    })
    void theToolGetsItsFileBackThroughTheEcho(String codec, String compress, String decompress) throws Exception {
        Path file = dir.resolve("in.log");
        Files.write(file, LogText.ofAtLeast(1024 * 1024));
        Path echoed = dir.resolve("out.log");
        Path errors = dir.resolve("stderr.txt");
        Server server = CompressedEchoServer.bind(CompressedEchoServer.options()
                .parse("--port", "0", "--codec", codec, "--threads", "1")).block(Duration.ofSeconds(10));
        String pipeline = compress + " '" + file + "' | nc -N 127.0.0.1 " + server.port() + " | " + decompress;
        int exit;
        try {
            Process process = new ProcessBuilder("bash", "-o", "pipefail", "-c", pipeline)
                    .redirectOutput(echoed.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(PIPELINE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("'" + pipeline + "' did not finish within " + PIPELINE_TIMEOUT_SECONDS
                        + " s: the server did not end its " + codec + " stream and close");
            }
            exit = process.exitValue();
        } finally {
            server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        }
        assertThat(exit).as("exit status of '%s' against compressed-echo --codec %s; its stderr: %s", pipeline,
                codec, Files.readString(errors, StandardCharsets.UTF_8)).isZero();
        assertThat(echoed).as("what '%s' printed", pipeline).hasSameBinaryContentAs(file);
        assertThat(server.metrics().leaks()).isZero();
    }
}
