package io.sluice.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An allocator that remembers every buffer it hands out, with the stack that allocated it, so that a test can
 * assert that all of them were released.
 *
 * <p>Ownership: each buffer returned belongs to the caller, exactly as with the parent allocator; this class only
 * watches. {@link #assertNoLeaks()} waits a bounded time for every buffer to be released (other threads may still be
 * finishing), then fails naming each one still held. Composite buffers are tracked too.
 *
 * <p>Thread-safe and lock-free: buffers may be allocated and released on any thread.
 */
public final class LeakTrackingAllocator implements ByteBufAllocator {

    /** How long {@link #assertNoLeaks()} waits for buffers still in flight. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    private static final int MAX_FRAMES = 12;
    private static final int PRUNE_EVERY = 4096;

    private final ByteBufAllocator parent;
    private final ConcurrentLinkedQueue<Allocation> allocations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sincePrune = new AtomicInteger();

    private LeakTrackingAllocator(ByteBufAllocator parent) {
        this.parent = Objects.requireNonNull(parent, "parent");
    }

    /** Tracks buffers of Netty's pooled allocator, which prefers direct memory. */
    public static LeakTrackingAllocator create() {
        return new LeakTrackingAllocator(PooledByteBufAllocator.DEFAULT);
    }

    /** Tracks buffers of {@code parent}. */
    public static LeakTrackingAllocator wrapping(ByteBufAllocator parent) {
        return new LeakTrackingAllocator(parent);
    }

    /** Buffers handed out and not yet released, oldest first. */
    public List<ByteBuf> outstanding() {
        List<ByteBuf> result = new ArrayList<>();
        for (Allocation a : allocations) {
            if (a.isLive()) {
                result.add(a.buf);
            }
        }
        return result;
    }

    /** Forgets every buffer handed out so far, released or not. */
    public void reset() {
        allocations.clear();
    }

    /** {@link #assertNoLeaks(Duration)} with {@link #DEFAULT_WAIT}. */
    public void assertNoLeaks() {
        assertNoLeaks(DEFAULT_WAIT);
    }

    /**
     * Waits up to {@code wait} for every buffer handed out to be released, then throws an {@link AssertionError}
     * naming each one that was not: capacity, readable bytes and where it was allocated.
     */
    public void assertNoLeaks(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Allocation> leaked = leaked();
        while (!leaked.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            leaked = leaked();
        }
        if (!leaked.isEmpty()) {
            throw new AssertionError(describe(leaked));
        }
    }

    /** Releases every buffer still outstanding, so that a failed test does not leak into the next one. */
    void releaseOutstanding() {
        for (Allocation a : allocations) {
            if (a.isLive()) {
                a.buf.release(a.liveCount());
            }
        }
    }

    private List<Allocation> leaked() {
        List<Allocation> result = new ArrayList<>();
        for (Allocation a : allocations) {
            if (a.isLive()) {
                result.add(a);
            }
        }
        return result;
    }

    private static String describe(List<Allocation> leaked) {
        StringBuilder sb = new StringBuilder()
                .append(leaked.size()).append(" buffer(s) not released:");
        int n = 1;
        for (Allocation a : leaked) {
            sb.append("\n  #").append(n++).append(' ').append(a.describe());
        }
        return sb.toString();
    }

    /** Forgets released buffers now and then, so that a long test does not keep every allocation it made. */
    private void record(Allocation allocation) {
        allocations.add(allocation);
        if (sincePrune.incrementAndGet() % PRUNE_EVERY == 0) {
            allocations.removeIf(a -> !a.isLive());
        }
    }

    private ByteBuf track(ByteBuf buf) {
        TrackedByteBuf.Root root = new TrackedByteBuf.Root(buf);
        record(new Allocation(root, new Throwable("allocated here")));
        return root;
    }

    private CompositeByteBuf track(CompositeByteBuf buf) {
        record(new Allocation(buf, new Throwable("allocated here")));
        return buf;
    }

    @Override
    public ByteBuf buffer() {
        return track(parent.buffer());
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return track(parent.buffer(initialCapacity));
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return track(parent.buffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf ioBuffer() {
        return track(parent.ioBuffer());
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return track(parent.ioBuffer(initialCapacity));
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return track(parent.ioBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf heapBuffer() {
        return track(parent.heapBuffer());
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return track(parent.heapBuffer(initialCapacity));
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return track(parent.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf directBuffer() {
        return track(parent.directBuffer());
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return track(parent.directBuffer(initialCapacity));
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return track(parent.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return track(parent.compositeBuffer());
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return track(parent.compositeBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return track(parent.compositeHeapBuffer());
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(parent.compositeHeapBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return track(parent.compositeDirectBuffer());
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return track(parent.compositeDirectBuffer(maxNumComponents));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return parent.isDirectBufferPooled();
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return parent.calculateNewCapacity(minNewCapacity, maxCapacity);
    }

    @Override
    public String toString() {
        return "LeakTrackingAllocator[" + parent + "]";
    }

    /** One buffer handed out; a composite is never recycled by its allocator, so its own count is reliable. */
    private record Allocation(ByteBuf buf, Throwable site) {

        boolean isLive() {
            if (buf instanceof TrackedByteBuf.Root root) {
                return !root.isFreed();
            }
            return buf.refCnt() > 0;
        }

        int liveCount() {
            return buf instanceof TrackedByteBuf.Root root ? root.unwrap().refCnt() : buf.refCnt();
        }

        String describe() {
            StringBuilder sb = new StringBuilder()
                    .append(buf.getClass().getSimpleName())
                    .append(" capacity=").append(buf.capacity())
                    .append(" readable=").append(buf.readableBytes())
                    .append(" refCnt=").append(liveCount())
                    .append(", allocated at:");
            int shown = 0;
            for (StackTraceElement frame : site.getStackTrace()) {
                if (shown == MAX_FRAMES) {
                    sb.append("\n      ...");
                    break;
                }
                if (isInteresting(frame)) {
                    sb.append("\n      at ").append(frame);
                    shown++;
                }
            }
            return sb.toString();
        }

        private static boolean isInteresting(StackTraceElement frame) {
            String c = frame.getClassName();
            return !(c.startsWith(LeakTrackingAllocator.class.getName())
                    || c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")
                    || c.startsWith("org.junit.") || c.startsWith("org.apache.maven.surefire.")
                    || c.startsWith("io.netty.buffer.") || c.startsWith("io.netty.util.")
                    || c.startsWith("reactor.core.publisher.Operators") || c.startsWith("reactor.core.publisher.Lambda"));
        }
    }
}
