package io.sluice.test;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Netty event loop of a test's own, for code that must run "on the connection's loop" without a socket: apply a
 * filter or start a handshake there ({@link #call}), and check which thread something ran on ({@link #threadName}).
 * Close it after the test; closing shuts the loop down at once and waits for it. Registered as a JUnit extension, it
 * is closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestEventLoop loop = TestEventLoop.start();   // a new loop for each test, closed after it
 *
 * try (TestEventLoop loop = TestEventLoop.start()) {  // or for one block
 *     Connection c = loop.call(() -> filter.apply(lower));
 * }
 * }</pre>
 */
public final class TestEventLoop implements AutoCloseable, AfterEachCallback {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final EventLoop loop = group.next();

    private TestEventLoop() {
    }

    public static TestEventLoop start() {
        return new TestEventLoop();
    }

    public EventLoop loop() {
        return loop;
    }

    /** Runs {@code call} on the loop and returns its result, waiting at most 10 s. */
    public <T> T call(Callable<T> call) throws Exception {
        return loop.submit(call).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The loop's thread. */
    public Thread thread() throws Exception {
        return call(Thread::currentThread);
    }

    /** The name of the loop's thread. */
    public String threadName() throws Exception {
        return thread().getName();
    }

    /** Shuts the loop down without a quiet period and waits until it has terminated. */
    public void shutdown() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Override
    public void close() throws InterruptedException {
        shutdown();
    }

    /** As a JUnit extension: closes the loop after each test. */
    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        close();
    }
}
