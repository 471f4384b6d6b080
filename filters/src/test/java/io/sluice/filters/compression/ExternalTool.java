package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool run as a process over files, bounded in time. A missing tool fails the test, naming the
 * package CI must install: these tests are the proof of interoperability and must not be skipped silently.
 */
final class ExternalTool {

    private static final long TIMEOUT_SECONDS = 60;

    private final String name;
    private final String debianPackage;

    private ExternalTool(String name, String debianPackage) {
        this.name = name;
        this.debianPackage = debianPackage;
    }

    static ExternalTool gzip() {
        return new ExternalTool("gzip", "gzip").require();
    }

    static ExternalTool pigz() {
        return new ExternalTool("pigz", "pigz").require();
    }

    private ExternalTool require() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return this;
            }
        }
        fail(name + " is not on the PATH; CI must install the '" + debianPackage + "' package (apt-get install "
                + debianPackage + ")");
        return this;
    }

    /** Runs the tool with {@code args}, {@code input} on its standard input; its standard output. */
    byte[] run(byte[] input, String... args) throws IOException, InterruptedException {
        Path in = Files.createTempFile("sluice-" + name, ".in");
        Path out = Files.createTempFile("sluice-" + name, ".out");
        Path err = Files.createTempFile("sluice-" + name, ".err");
        try {
            Files.write(in, input);
            List<String> command = new ArrayList<>();
            command.add(name);
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                fail(command + " exited with " + p.exitValue() + ": " + Files.readString(err));
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
