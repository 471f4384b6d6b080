package io.sluice.reactor;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.sluice.test.SluiceTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * Channels of another Reactor Netty server, handed over after its own line protocol's first line: the Sluice
 * handler gets the prelude, then the bytes the other protocol's decoder still held, then the rest of the stream.
 */
class TakeoverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private DisposableServer other;

    @AfterEach
    void stop() {
        if (other != null) {
            other.disposeNow(TIMEOUT);
        }
    }

    /** A server that reads one line with its own decoder, then hands the channel to {@code takeover}. */
    private int otherServer(Takeover takeover) {
        other = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> c.addHandlerLast("lines", new LineBasedFrameDecoder(64))
                        .addHandlerLast("hello", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf line = (ByteBuf) msg;
                                ByteBuf prelude = Unpooled.copiedBuffer("<" + line.toString(US_ASCII) + ">", US_ASCII);
                                line.release();
                                c.markPersistent(false);
                                takeover.adopt(ctx.channel(), prelude, pipeline -> {
                                    pipeline.remove("hello");
                                    pipeline.remove("lines");
                                }).subscribe();
                            }
                        }))
                .handle((in, out) -> in.receive().then()) // its demand reads the first line
                .bindNow(TIMEOUT);
        return other.port();
    }

    private static Takeover echo() {
        return Server.tcp().allocator(SluiceTest.allocator()).handler(c -> c.send(c.receive())).takeover();
    }

    @Test
    void theHandlerGetsThePreludeThenWhatTheOtherDecoderHeldThenTheRest() throws Exception {
        Takeover takeover = echo();
        int port = otherServer(takeover);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("HELLO\nheld".getBytes(US_ASCII)); // "held" stays in the line decoder until it is removed
            out.flush();
            assertThat(read(socket.getInputStream(), "<HELLO>held".length())).isEqualTo("<HELLO>held");
            out.write(" and more".getBytes(US_ASCII));
            out.flush();
            assertThat(read(socket.getInputStream(), " and more".length())).isEqualTo(" and more");
            assertThat(takeover.metrics().active()).isEqualTo(1);
        }
        takeover.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
        assertThat(takeover.metrics().active()).isZero();
        assertThat(takeover.metrics().accepted()).isEqualTo(1);
        assertThat(takeover.metrics().leaks()).isZero();
    }

    @Test
    void gracefulShutdownEndsTheInputOfOpenConnectionsAndWaitsForThem() throws Exception {
        Takeover takeover = echo();
        int port = otherServer(takeover);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write("HI\n".getBytes(US_ASCII));
            assertThat(read(socket.getInputStream(), 4)).isEqualTo("<HI>");

            takeover.shutdown(Duration.ofSeconds(5)).block(TIMEOUT);

            assertThat(socket.getInputStream().read()).as("the echo ended with its input").isEqualTo(-1);
            assertThat(takeover.metrics().active()).isZero();
            assertThat(takeover.metrics().outstandingBytes()).isZero();
        }
    }

    @Test
    void channelsHandedOverBeyondTheConnectionLimitAreClosedAndCounted() throws Exception {
        Takeover takeover = Server.tcp().allocator(SluiceTest.allocator()).maxConnections(1)
                .handler(c -> c.send(c.receive())).takeover();
        int port = otherServer(takeover);
        try (Socket first = new Socket("127.0.0.1", port); Socket second = new Socket("127.0.0.1", port)) {
            first.setSoTimeout((int) TIMEOUT.toMillis());
            second.setSoTimeout((int) TIMEOUT.toMillis());
            first.getOutputStream().write("ONE\n".getBytes(US_ASCII));
            assertThat(read(first.getInputStream(), 5)).isEqualTo("<ONE>");
            second.getOutputStream().write("TWO\n".getBytes(US_ASCII));
            assertThat(second.getInputStream().read()).isEqualTo(-1);
            assertThat(takeover.metrics().refused()).isEqualTo(1);
        }
        takeover.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
        assertThat(takeover.metrics().leaks()).isZero();
    }

    @Test
    void aTakeoverNeedsAHandler() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Server.tcp().takeover())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("handler");
    }

    private static String read(InputStream in, int n) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < n) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            got.write(b);
        }
        return got.toString(US_ASCII);
    }
}
