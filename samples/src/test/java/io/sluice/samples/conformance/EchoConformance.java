package io.sluice.samples.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.samples.EchoSampleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The websocket-echo sample bound as its {@code main} binds it (default options, a free port), one server per test
 * class, put through the scenarios of the WebSocket compliance suite's fuzzing client with a {@link WirePeer}. Each
 * scenario is judged as that suite judges it ({@link Outcome#verdict}); once all have run the server must hold no
 * buffer.
 */
abstract class EchoConformance {

    static final String OK = "OK / OK";

    private static Server server;

    @FunctionalInterface
    interface Scenario {
        void run(WirePeer peer) throws Exception;
    }

    @BeforeAll
    static void bindTheSample() {
        server = EchoSampleServer.bind();
    }

    @AfterAll
    static void shutDownWithNothingLeaked() {
        Server s = server;
        server = null;
        EchoSampleServer.shutDownWithNothingLeaked(s);
    }

    /** A fresh connection to the sample, its opening handshake done. */
    static WirePeer connect() throws IOException {
        return WirePeer.connect(server.port());
    }

    /** Runs {@code scenario} on a fresh connection and returns how it ended. */
    static Outcome run(Scenario scenario, Expectation expected) throws Exception {
        try (WirePeer peer = connect()) {
            scenario.run(peer);
            return peer.finish(expected);
        }
    }

    /**
     * Runs {@code scenario} and judges it: {@link #OK} when it is strictly right as the suite judges it (OK, and a
     * clean or expected close), else the verdict and what was observed. Where the server fails the connection (the
     * cases that do not require a clean close), its close frame must also have arrived with an expected code: the
     * suite would accept a bare TCP drop, Sluice promises the protocol's own error.
     */
    static String judge(Scenario scenario, Expectation expected) throws Exception {
        Outcome outcome = run(scenario, expected);
        String verdict = outcome.verdict(expected);
        if (verdict.equals(OK) && !expected.requireClean() && !expected.codes().contains(outcome.serverCloseCode())) {
            verdict = "OK / NO CLOSE FRAME";
        }
        return verdict.equals(OK) ? OK : verdict + " — " + outcome.describe(expected);
    }

    static void assertOk(Scenario scenario, Expectation expected) throws Exception {
        assertThat(judge(scenario, expected)).isEqualTo(OK);
    }

    /** A short pause between writes, so that they reach the server as separate reads, as the suite's sync does. */
    static void settle() {
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] repeat(int b, int count) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }
}
