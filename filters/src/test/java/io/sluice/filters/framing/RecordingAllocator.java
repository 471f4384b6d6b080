package io.sluice.filters.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An allocator for tests that remembers every buffer it hands out, composites included, so a test can check that
 * each one was released, independently of the budgets' own accounting.
 */
final class RecordingAllocator extends AbstractByteBufAllocator {

    private static final UnpooledByteBufAllocator MEMORY = new UnpooledByteBufAllocator(false, true);

    private final List<ByteBuf> handedOut = new CopyOnWriteArrayList<>();

    RecordingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return record(MEMORY.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return record(MEMORY.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return toLeakAwareBuffer(record(new CompositeByteBuf(this, false, maxNumComponents)));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return compositeHeapBuffer(maxNumComponents);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    int handedOutCount() {
        return handedOut.size();
    }

    void assertAllReleased() {
        assertThat(handedOut).as("buffers not released").allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    private <T extends ByteBuf> T record(T buf) {
        handedOut.add(buf);
        return buf;
    }
}
