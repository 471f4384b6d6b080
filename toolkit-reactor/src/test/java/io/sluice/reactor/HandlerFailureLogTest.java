package io.sluice.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import io.sluice.api.Handler;
import io.sluice.test.SluiceTest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;
import reactor.util.Loggers;

/**
 * One WARN line per failure: when a filter refuses a peer's bytes, it logs that once and ends the inbound stream with
 * the error; a handler that then fails with that error (as {@code c.send(c.receive())} does), or with one wrapping
 * it, is not logged again. A handler that fails on its own still is.
 */
class HandlerFailureLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final TestLogger log = new TestLogger(false);

    @BeforeEach
    void capture() {
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(log);
    }

    @AfterEach
    void release() {
        LoggerUtils.disableCapture();
    }

    /** A filter that, like the real ones, logs a refused input once and then fails its inbound stream. */
    private static final Filter REFUSES_ANY_INPUT = lower -> new ConnectionLayer(lower) {
        @Override
        public Flux<ByteBuf> receive() {
            return lower.receive().concatMap(buf -> {
                buf.release();
                Loggers.getLogger(HandlerFailureLogTest.class).warn("connection {}: closing on bad input",
                        lower.info().id());
                lower.close();
                return Mono.error(new IOException("bad input"));
            });
        }
    };

    @Test
    void aHandlerEndingWithTheInboundStreamsErrorIsNotLoggedAgain() throws Exception {
        assertThat(warnLinesAfterOneConnection(c -> c.send(c.receive()))).singleElement().asString()
                .endsWith("closing on bad input");
    }

    @Test
    void norIsAHandlerThatWrapsThatError() throws Exception {
        assertThat(warnLinesAfterOneConnection(c -> c.receive().doOnNext(ByteBuf::release)
                .onErrorMap(e -> new IllegalStateException("reading failed", e)).then()))
                .singleElement().asString().endsWith("closing on bad input");
    }

    @Test
    void aHandlerFailingOnItsOwnIsLogged() throws Exception {
        List<String> lines = warnLinesAfterOneConnection(c -> c.receive().doOnNext(ByteBuf::release)
                .onErrorResume(e -> Mono.error(new IllegalStateException("the handler's own failure"))).then());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("handler failed, closing the connection")
                .contains("the handler's own failure");
    }

    /** The WARN lines a server logs for one connection that sends a byte, once the server has closed it. */
    private List<String> warnLinesAfterOneConnection(Handler handler) throws Exception {
        Server server = Server.tcp().allocator(SluiceTest.allocator()).filter(REFUSES_ANY_INPUT).handler(handler)
                .bind().block(TIMEOUT);
        Client client = Client.tcp().allocator(SluiceTest.allocator()).port(server.port()).build();
        try {
            Connection c = client.connect().block(TIMEOUT);
            c.send(Mono.fromSupplier(() -> c.budget().allocator().buffer().writeByte(1))).block(TIMEOUT);
            c.receive().doOnNext(ByteBuf::release).then().onErrorResume(e -> Mono.empty()).block(TIMEOUT);
            assertThat(ServerWaits.awaitClosed(server, 1, TIMEOUT)).as("connections the server closed").isEqualTo(1);
        } finally {
            client.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(1)).block(TIMEOUT);
        }
        return log.getErrContent().lines().filter(l -> l.startsWith("[ WARN]")).toList();
    }
}
