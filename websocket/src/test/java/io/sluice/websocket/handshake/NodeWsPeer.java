package io.sluice.websocket.handshake;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Node.js with the {@code ws} package, a WebSocket peer nobody here wrote. {@code .ci/run} installs {@code ws} into
 * {@code $SLUICE_NODE_MODULES} (default {@code /tmp/sluice-node-ws/node_modules}); a missing piece fails the test
 * naming how to install it: interoperability tests are not skipped silently.
 */
final class NodeWsPeer {

    private static final long TIMEOUT_SECONDS = 30;

    private NodeWsPeer() {
    }

    static Path modules() {
        Path modules = Path.of(System.getenv().getOrDefault("SLUICE_NODE_MODULES", "/tmp/sluice-node-ws/node_modules"));
        if (!Files.isDirectory(modules.resolve("ws"))) {
            fail("Node's ws package is not in " + modules + "; .ci/run installs it (npm install --prefix "
                    + modules.getParent() + " ws@8)");
        }
        return modules;
    }

    /** Runs {@code script} with node, {@code args} after it; its standard output, which must end with exit 0. */
    static String run(String script, String... args) throws IOException, InterruptedException {
        Path modules = modules();
        Path file = Files.createTempFile("sluice-ws", ".js");
        Path out = Files.createTempFile("sluice-ws", ".out");
        try {
            Files.writeString(file, script);
            String[] command = new String[args.length + 2];
            command[0] = "node";
            command[1] = file.toString();
            System.arraycopy(args, 0, command, 2, args.length);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
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
}
