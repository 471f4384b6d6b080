package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The websocket-echo sample bound as its {@code main} binds it (default options, a free port), for tests: as a
 * JUnit extension field ({@code @RegisterExtension final EchoSampleServer sample = new EchoSampleServer();}), a
 * fresh server for each test, shut down after it with nothing leaked; or through the static methods.
 */
public final class EchoSampleServer implements BeforeEachCallback, AfterEachCallback {

    private Server server;

    /** The port of the current test's server. */
    public int port() {
        return server.port();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server = bind();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Server s = server;
        server = null;
        shutDownWithNothingLeaked(s);
    }

    public static Server bind() {
        return WebSocketEchoServer.bind(WebSocketEchoServer.options().parse("0")).block(Duration.ofSeconds(10));
    }

    /** Shuts {@code server} down (bounded) and checks it holds no buffer. */
    public static void shutDownWithNothingLeaked(Server server) {
        server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        assertThat(server.metrics().leaks()).as("buffers the server leaked").isZero();
    }
}
