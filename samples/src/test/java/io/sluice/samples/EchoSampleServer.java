package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import java.time.Duration;

/** The websocket-echo sample bound as its {@code main} binds it (default options, a free port), for tests. */
public final class EchoSampleServer {

    private EchoSampleServer() {
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
