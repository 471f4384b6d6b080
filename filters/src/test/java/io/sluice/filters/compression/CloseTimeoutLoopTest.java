package io.sluice.filters.compression;

import static io.sluice.filters.compression.CompressedPipe.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.ReactorSchedulingWatch;
import io.sluice.test.TestEventLoop;
import io.sluice.test.TrackedPipes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code close()}'s timeout runs on the event loop the filter was applied on, the connection's: it fires there
 * (wherever {@code close()} was called), and a close whose stream end goes out on that loop cancels it there without
 * handing anything to Reactor's parallel scheduler (whose cancellation takes its executor's queue lock). BlockHound,
 * on in every test, fails a test whose loop blocks. The filter is applied on a Netty event loop, as the runtime
 * applies it, over a pipe.
 */
class CloseTimeoutLoopTest {

    @RegisterExtension
    final TestEventLoop loop = TestEventLoop.start();

    @Test
    void aStreamEndThatCannotGoOutTimesOutOnTheLoopTheFilterWasAppliedOn() throws Exception {
        Pipe pipe = TrackedPipes.create();
        pipe.left().stall(true); // the peer takes nothing: the stream's end cannot be written
        CompletableFuture<String> closedOn = new CompletableFuture<>();
        Connection lower = new ConnectionLayer(pipe.right()) {
            @Override
            public void close() {
                closedOn.complete(Thread.currentThread().getName());
                super.close();
            }
        };
        Compression filter = Compression.of(CompressionOptions.builder(Codec.DEFLATE)
                .closeTimeout(Duration.ofMillis(100)).build());
        Connection compressed = loop.call(() -> filter.apply(lower));

        compressed.close(); // here, off the loop; the timeout still fires on the loop

        assertThat(closedOn.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(loop.threadName());
        pipe.left().receive().subscribe(b -> b.release());
        pipe.left().stall(false);
        pipe.close();
        StepVerifier.create(Mono.when(pipe.left().onClose(), pipe.right().onClose())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aStreamEndWrittenOnTheLoopCancelsTheTimeoutThere() throws Exception {
        Pipe pipe = TrackedPipes.create();
        CompletableFuture<byte[]> wire = CompressedPipe.gather(pipe.left().receive()).toFuture();
        Compression filter = Compression.of(CompressionOptions.builder(Codec.DEFLATE)
                .closeTimeout(Duration.ofSeconds(30)).build());
        try (ReactorSchedulingWatch watch = ReactorSchedulingWatch.on(loop.thread())) {
            loop.call(() -> {
                Connection compressed = filter.apply(pipe.right());
                compressed.close(); // the peer reads on the loop's thread: the end goes out, the timer is cancelled
                return null;
            });
            StepVerifier.create(pipe.right().onClose()).expectComplete().verify(TIMEOUT);

            assertThat(watch.scheduled()).as("tasks the loop gave Reactor's schedulers").isEmpty();
        }
        pipe.close();
        Inflater inflater = new Inflater();
        inflater.setInput(wire.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(inflater.inflate(new byte[16])).isZero();
        assertThat(inflater.finished()).as("a complete, empty deflate stream").isTrue();
        inflater.end();
        StepVerifier.create(pipe.left().onClose()).expectComplete().verify(TIMEOUT);
    }
}
