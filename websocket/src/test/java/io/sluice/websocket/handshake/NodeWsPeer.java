package io.sluice.websocket.handshake;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Node.js with the {@code ws} package, a WebSocket peer nobody here wrote. {@code .ci/run} installs {@code ws} into
 * {@code $SLUICE_NODE_MODULES} (default {@code /tmp/sluice-node-ws/node_modules}); a missing piece fails the test
 * naming how to install it: interoperability tests are not skipped silently.
 *
 * <p>{@link #run} runs a script to its end; {@link #start} runs one in the background (a server, say) whose output
 * lines the test waits for, and which {@link Running#close()} kills.
 */
public final class NodeWsPeer {

    private static final long TIMEOUT_SECONDS = 30;

    private NodeWsPeer() {
    }

    public static Path modules() {
        Path modules = Path.of(System.getenv().getOrDefault("SLUICE_NODE_MODULES", "/tmp/sluice-node-ws/node_modules"));
        if (!Files.isDirectory(modules.resolve("ws"))) {
            fail("Node's ws package is not in " + modules + "; .ci/run installs it (npm install --prefix "
                    + modules.getParent() + " ws@8)");
        }
        return modules;
    }

    /** Runs {@code script} with node, {@code args} after it; its standard output, which must end with exit 0. */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        Path modules = modules();
        Path file = Files.createTempFile("sluice-ws", ".js");
        Path out = Files.createTempFile("sluice-ws", ".out");
        try {
            Files.writeString(file, script);
            ProcessBuilder pb = new ProcessBuilder(command(file, args)).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().put("NODE_PATH", modules.toString());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("node did not finish within " + TIMEOUT_SECONDS + " s: " + Files.readString(out));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail("node exited with " + p.exitValue() + ": " + output);
            }
            return output.strip();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(out);
        }
    }

    /** Starts {@code script} with node in the background; close the result to kill it. */
    public static Running start(String script, String... args) throws IOException {
        Path modules = modules();
        Path file = Files.createTempFile("sluice-ws", ".js");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder(command(file, args)).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        return new Running(pb.start(), file);
    }

    private static String[] command(Path file, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "node";
        command[1] = file.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        return command;
    }

    /** A node process running in the background, its output read line by line. */
    public static final class Running implements AutoCloseable {

        private static final String END = new String("end of output"); // compared by identity

        private final Process process;
        private final Path script;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new CopyOnWriteArrayList<>();

        private Running(Process process, Path script) {
            this.process = process;
            this.script = script;
            Thread reader = new Thread(this::readLines, "node-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void readLines() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    seen.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("output failed: " + e);
            } finally {
                lines.add(END);
            }
        }

        /** The next output line that {@code matches}, skipping others; fails the test after {@code timeout}. */
        public String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (;;) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("node printed no matching line within " + timeout + "; its output: " + seen);
                }
                if (line == END) {
                    lines.add(END);
                    fail("node ended without a matching line; its output: " + seen);
                }
                if (matches.test(line)) {
                    return line;
                }
            }
        }

        /** The next output line starting with {@code prefix}. */
        public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
            return awaitLine(line -> line.startsWith(prefix), timeout);
        }

        /** Every line printed so far. */
        public List<String> output() {
            return List.copyOf(seen);
        }

        /** Kills the process (and waits for it, bounded), and deletes its script. */
        @Override
        public void close() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(script);
        }
    }
}
