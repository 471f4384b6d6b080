package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS peer nobody here wrote ({@code openssl}, {@code node}) run as a child process: its standard input a pipe, its
 * standard output and error captured to files, every wait bounded. {@link #close()} kills it (and its children)
 * whatever state it is in; use it in try-with-resources. A tool that is not installed fails the test, naming the
 * package CI must install: these tests are the proof of interoperability and must not be skipped silently.
 */
final class PeerProcess implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;
    private final OutputStream stdin;

    private PeerProcess(List<String> command, Process process, Path out, Path err) {
        this.command = command;
        this.process = process;
        this.out = out;
        this.err = err;
        this.stdin = process.getOutputStream();
    }

    /** Starts {@code tool args...}, which must be on the PATH (from the Debian package {@code debianPackage}). */
    static PeerProcess start(String tool, String debianPackage, List<String> args) throws IOException {
        require(tool, debianPackage);
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(args);
        Path out = Files.createTempFile("sluice-" + tool, ".out");
        Path err = Files.createTempFile("sluice-" + tool, ".err");
        Process process = new ProcessBuilder(command).directory(Fixtures.DIR.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new PeerProcess(command, process, out, err);
    }

    static PeerProcess openssl(List<String> args) throws IOException {
        return start("openssl", "openssl", args);
    }

    /** Runs {@code script} (a file under {@code src/test/resources/tls/node}) with Node.js. */
    static PeerProcess node(String script, List<String> args) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(Fixtures.file("node/" + script).toString());
        all.addAll(args);
        return start("node", "nodejs", all);
    }

    private static void require(String tool, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        fail(tool + " is not on the PATH; CI must install the '" + debianPackage + "' package (apt-get install "
                + debianPackage + ")");
    }

    /** Writes {@code text} to the process's standard input, at once. */
    void write(String text) {
        try {
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(command + " no longer reads its input: " + describe(), e);
        }
    }

    void closeInput() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // it exited already
        }
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    /** Waits until standard output (or, if {@code orStderr}, error) satisfies {@code condition}; fails if it exits first. */
    String awaitOutput(Predicate<String> condition, boolean orStderr, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (;;) {
            String output = orStderr ? stdout() + stderr() : stdout();
            if (condition.test(output)) {
                return output;
            }
            if (!process.isAlive() && !condition.test(orStderr ? stdout() + stderr() : stdout())) {
                fail(command + " exited (" + process.exitValue() + ") before " + what + ": " + describe());
            }
            if (System.nanoTime() > deadline) {
                fail(command + " did not show " + what + " within " + WAIT + ": " + describe());
            }
            pause();
        }
    }

    /** The first group of {@code pattern} in standard output and error, waiting for it to appear. */
    String awaitMatch(Pattern pattern, String what) {
        String output = awaitOutput(text -> pattern.matcher(text).find(), true, what);
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new AssertionError("unreachable: " + what);
        }
        return m.group(1);
    }

    /** Waits for the process to exit; its exit code. */
    int awaitExit() {
        try {
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(command + " did not exit within " + WAIT + ": " + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + command);
        }
        return process.exitValue();
    }

    /** Its command, and what it printed so far: for failure messages. */
    String describe() {
        return "\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr();
    }

    @Override
    public void close() {
        closeInput();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        } catch (IOException ignored) {
            // temporary files: the OS cleans up
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1); // never malformed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
