package io.sluice.benchmarks;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Memory per idle connection in one server JVM, as {@link Compare} and {@link CompareTls} measure it: warm up with a
 * few connections, then heap (after full GCs), direct memory and resident set with none, with N idle ones from the
 * {@link IdleClient}, and once they closed again.
 */
final class IdleMeasurement {

    /** Connections opened and closed first, so that classes, pools and caches are in the baseline. */
    private static final int WARMUP_CONNECTIONS = 500;

    private IdleMeasurement() {
    }

    static IdleFigures measure(ChildJvm client, ChildJvm server, EchoKind kind, int n, PrintStream log)
            throws InterruptedException {
        int port = Compare.port(server.await("listening on ", Duration.ofSeconds(60)));
        // Connect and close a few first, so that classes, pools and caches first used by a connection
        // are in the baseline rather than charged to the idle connections.
        client.send("open " + port + " " + Math.min(n, WARMUP_CONNECTIONS));
        client.await("opened", Duration.ofMinutes(2));
        client.send("close");
        client.await("closed", Duration.ofMinutes(2));
        long[] base = memory(server);
        client.send("open " + port + " " + n);
        String opened = client.await("opened", Duration.ofMinutes(4));
        int open = Integer.parseInt(opened.substring("opened ".length()).trim());
        Thread.sleep(1000); // the last accepted connections' handlers get going
        long[] loaded = memory(server);
        client.send("close");
        client.await("closed", Duration.ofMinutes(2));
        Thread.sleep(500);
        long[] after = memory(server);
        IdleFigures f = new IdleFigures(kind, open, base[0], loaded[0], after[0], base[1], loaded[1], base[2],
                loaded[2]);
        log.printf("idle %s: %d connections, %.0f B heap per connection%n", kind.label(), open,
                f.heapPerConnection());
        return f;
    }

    /** Heap used, direct memory and resident set, in bytes, after full GCs in the server. */
    private static long[] memory(ChildJvm server) throws InterruptedException {
        server.send("gc");
        String line = server.await("heap used=", Duration.ofSeconds(60));
        String[] parts = line.split("\\s+");
        return new long[] {
                Long.parseLong(parts[1].substring("used=".length())),
                Long.parseLong(parts[2].substring("direct=".length())),
                Long.parseLong(parts[3].substring("rss=".length()))};
    }
}
