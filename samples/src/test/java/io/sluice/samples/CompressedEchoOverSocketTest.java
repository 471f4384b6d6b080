package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compressed-echo sample with DEFLATE, driven by a client that shares no code with Sluice: the JDK's zlib over
 * a plain {@link SocketChannel}.
 */
class CompressedEchoOverSocketTest {

    private Server server;

    @BeforeEach
    void start() {
        server = CompressedEchoServer.bind(CompressedEchoServer.options()
                .parse("--port", "0", "--codec", "deflate", "--threads", "1")).block(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(20));
        assertThat(server.metrics().leaks()).isZero();
    }

    @Test
    void echoesAWholeZlibStreamAndEndsItAfterTheClientShutsItsOutput() throws Exception {
        byte[] text = LogText.ofAtLeast(300_000);
        byte[] compressed = deflate(text);

        byte[] echoed = exchange(compressed, 1000);

        assertThat(inflateWhole(echoed)).isEqualTo(text);
    }

    @Test
    void anEmptyInputGetsAnEmptyButCompleteStreamBack() throws Exception {
        byte[] echoed = exchange(deflate(new byte[0]), 1000);

        assertThat(inflateWhole(echoed)).isEmpty();
    }

    /**
     * Writes {@code request} in writes of {@code writeSize} bytes, shuts the output, and reads to EOF. Writing runs
     * beside the reading, as an echo that is not read stops reading in turn.
     */
    private byte[] exchange(byte[] request, int writeSize) throws Exception {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    for (int at = 0; at < request.length; at += writeSize) {
                        ByteBuffer part = ByteBuffer.wrap(request, at, Math.min(writeSize, request.length - at));
                        while (part.hasRemaining()) {
                            channel.write(part);
                        }
                    }
                    channel.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException("writing to the server failed", e);
                }
            });
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            while (channel.read(buffer) >= 0) {
                response.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            written.get(10, TimeUnit.SECONDS);
            return response.toByteArray();
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(6);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** Inflates {@code data}, which must be exactly one whole zlib stream: its end present, nothing after it. */
    private static byte[] inflateWhole(byte[] data) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new AssertionError("the echoed zlib stream has no end: the server closed without "
                            + "finishing it (" + data.length + " bytes received)");
                }
                out.write(chunk, 0, n);
            }
            assertThat(inflater.getRemaining()).as("bytes after the end of the zlib stream").isZero();
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
