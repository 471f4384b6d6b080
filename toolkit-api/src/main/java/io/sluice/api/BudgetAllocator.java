package io.sluice.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The allocator view of a {@link BufferBudget}: allocates from the parent and accounts the result. Composite
 * buffers are shells holding other buffers and are not accounted themselves; their components are, and so is
 * whatever the composite allocates (through this allocator) when it consolidates.
 */
final class BudgetAllocator implements ByteBufAllocator {

    /** Netty's default number of components before a composite consolidates. */
    private static final int DEFAULT_MAX_COMPONENTS = 16;

    private final BufferBudget budget;
    private final ByteBufAllocator parent;

    BudgetAllocator(BufferBudget budget, ByteBufAllocator parent) {
        this.budget = budget;
        this.parent = parent;
    }

    @Override
    public ByteBuf buffer() {
        return budget.account(parent.buffer());
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return budget.account(parent.buffer(initialCapacity));
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return budget.account(parent.buffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf ioBuffer() {
        return budget.account(parent.ioBuffer());
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return budget.account(parent.ioBuffer(initialCapacity));
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return budget.account(parent.ioBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf heapBuffer() {
        return budget.account(parent.heapBuffer());
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return budget.account(parent.heapBuffer(initialCapacity));
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return budget.account(parent.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf directBuffer() {
        return budget.account(parent.directBuffer());
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return budget.account(parent.directBuffer(initialCapacity));
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return budget.account(parent.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return compositeBuffer(DEFAULT_MAX_COMPONENTS);
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return parent.isDirectBufferPooled()
                ? compositeDirectBuffer(maxNumComponents)
                : compositeHeapBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return compositeHeapBuffer(DEFAULT_MAX_COMPONENTS);
    }

    /** The composite allocates through this budget whenever it consolidates or grows, so that memory counts too. */
    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return new CompositeByteBuf(this, false, maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return compositeDirectBuffer(DEFAULT_MAX_COMPONENTS);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return new CompositeByteBuf(this, true, maxNumComponents);
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
        return "BudgetAllocator[" + budget.name() + "]";
    }
}
