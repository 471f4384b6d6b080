package io.sluice.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.sluice.api.BufferBudget;
import io.sluice.api.OutstandingBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An allocator that remembers every buffer it hands out, with the stack that allocated it, so that a test can
 * assert that all of them were released.
 *
 * <p>It is a {@link BufferBudget} without water marks that tracks its buffers and records allocation sites: the same
 * accounting that watches every connection, pointed at the test. Ownership: each buffer returned belongs to the
 * caller, exactly as with the parent allocator; this class only watches. {@link #assertNoLeaks()} waits a bounded
 * time for every buffer to be released (other threads may still be finishing), then fails naming each one still
 * held. Composite buffers are shells: the buffers in them are tracked.
 *
 * <p>Thread-safe and lock-free: buffers may be allocated and released on any thread.
 */
public final class LeakTrackingAllocator implements ByteBufAllocator {

    /** How long {@link #assertNoLeaks()} waits for buffers still in flight. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    private static final int MAX_FRAMES = 12;

    private final ByteBufAllocator parent;
    private volatile BufferBudget budget;

    private LeakTrackingAllocator(ByteBufAllocator parent) {
        this.parent = Objects.requireNonNull(parent, "parent");
        this.budget = newBudget();
    }

    /** Tracks buffers of Netty's pooled allocator, which prefers direct memory. */
    public static LeakTrackingAllocator create() {
        return new LeakTrackingAllocator(PooledByteBufAllocator.DEFAULT);
    }

    /** Tracks buffers of {@code parent}. */
    public static LeakTrackingAllocator wrapping(ByteBufAllocator parent) {
        return new LeakTrackingAllocator(parent);
    }

    private BufferBudget newBudget() {
        return BufferBudget.builder()
                .name("test allocator")
                .parent(parent)
                .waterMarks(Long.MAX_VALUE / 2, Long.MAX_VALUE)
                .recordAllocationSites(true)
                .build();
    }

    /** Buffers handed out and not yet released. */
    public List<ByteBuf> outstanding() {
        List<ByteBuf> result = new ArrayList<>();
        for (OutstandingBuffer b : budget.outstanding()) {
            result.add(b.buffer());
        }
        return result;
    }

    /** Forgets every buffer handed out so far, released or not. */
    public void reset() {
        budget = newBudget();
    }

    /** {@link #assertNoLeaks(Duration)} with {@link #DEFAULT_WAIT}. */
    public void assertNoLeaks() {
        assertNoLeaks(DEFAULT_WAIT);
    }

    /**
     * Waits up to {@code wait} for every buffer handed out to be released, then throws an {@link AssertionError}
     * naming each one that was not: capacity, readable bytes, last touch and where it was allocated.
     */
    public void assertNoLeaks(Duration wait) {
        BufferBudget watched = budget;
        long deadline = System.nanoTime() + wait.toNanos();
        while (watched.outstandingBuffers() != 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        List<OutstandingBuffer> leaked = watched.outstanding();
        if (!leaked.isEmpty()) {
            throw new AssertionError(describe(leaked));
        }
    }

    /** Releases every buffer still outstanding, so that a failed test does not leak into the next one. */
    void releaseOutstanding() {
        for (OutstandingBuffer b : budget.outstanding()) {
            int count = b.buffer().refCnt();
            if (count > 0) {
                b.buffer().release(count);
            }
        }
    }

    private static String describe(List<OutstandingBuffer> leaked) {
        StringBuilder sb = new StringBuilder()
                .append(leaked.size()).append(" buffer(s) not released:");
        int n = 1;
        for (OutstandingBuffer b : leaked) {
            sb.append("\n  #").append(n++).append(' ').append(describe(b));
        }
        return sb.toString();
    }

    private static String describe(OutstandingBuffer b) {
        ByteBuf buf = b.buffer();
        StringBuilder sb = new StringBuilder()
                .append("capacity=").append(buf.capacity())
                .append(" readable=").append(buf.readableBytes())
                .append(" refCnt=").append(buf.refCnt());
        if (b.lastHint() != null) {
            sb.append(", last touched by: ").append(b.lastHint());
        }
        sb.append(", allocated at:");
        int shown = 0;
        for (StackTraceElement frame : b.allocationSite().getStackTrace()) {
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
                || c.startsWith("io.sluice.api.BufferBudget") || c.startsWith("io.sluice.api.BudgetAllocator")
                || c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || c.startsWith("org.junit.") || c.startsWith("org.apache.maven.surefire.")
                || c.startsWith("io.netty.buffer.") || c.startsWith("io.netty.util.")
                || c.startsWith("reactor.core.publisher.Operators") || c.startsWith("reactor.core.publisher.Lambda"));
    }

    @Override
    public String toString() {
        return "LeakTrackingAllocator[" + parent + "]";
    }

    @Override
    public ByteBuf buffer() {
        return budget.allocator().buffer();
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return budget.allocator().buffer(initialCapacity);
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return budget.allocator().buffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf ioBuffer() {
        return budget.allocator().ioBuffer();
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return budget.allocator().ioBuffer(initialCapacity);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return budget.allocator().ioBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf heapBuffer() {
        return budget.allocator().heapBuffer();
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return budget.allocator().heapBuffer(initialCapacity);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return budget.allocator().heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf directBuffer() {
        return budget.allocator().directBuffer();
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return budget.allocator().directBuffer(initialCapacity);
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return budget.allocator().directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return budget.allocator().compositeBuffer();
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return budget.allocator().compositeBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return budget.allocator().compositeHeapBuffer();
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return budget.allocator().compositeHeapBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return budget.allocator().compositeDirectBuffer();
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return budget.allocator().compositeDirectBuffer(maxNumComponents);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return parent.isDirectBufferPooled();
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return parent.calculateNewCapacity(minNewCapacity, maxCapacity);
    }

}
