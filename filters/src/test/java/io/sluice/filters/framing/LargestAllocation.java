package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * An allocator that passes every call to another and remembers the largest capacity asked for, so a test can check
 * that a decoder never allocates what a length field announces before the bytes are there. Buffers are the
 * caller's, exactly as from the wrapped allocator. Used from one thread at a time.
 */
final class LargestAllocation implements ByteBufAllocator {

    private final ByteBufAllocator parent;
    private int largest;

    LargestAllocation(ByteBufAllocator parent) {
        this.parent = parent;
    }

    /** The largest initial capacity asked for so far. */
    int largest() {
        return largest;
    }

    private int note(int capacity) {
        largest = Math.max(largest, capacity);
        return capacity;
    }

    @Override
    public ByteBuf buffer() {
        return parent.buffer();
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return parent.buffer(note(initialCapacity));
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return parent.buffer(note(initialCapacity), maxCapacity);
    }

    @Override
    public ByteBuf ioBuffer() {
        return parent.ioBuffer();
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return parent.ioBuffer(note(initialCapacity));
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return parent.ioBuffer(note(initialCapacity), maxCapacity);
    }

    @Override
    public ByteBuf heapBuffer() {
        return parent.heapBuffer();
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return parent.heapBuffer(note(initialCapacity));
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return parent.heapBuffer(note(initialCapacity), maxCapacity);
    }

    @Override
    public ByteBuf directBuffer() {
        return parent.directBuffer();
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return parent.directBuffer(note(initialCapacity));
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return parent.directBuffer(note(initialCapacity), maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return parent.compositeBuffer();
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return parent.compositeBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return parent.compositeHeapBuffer();
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return parent.compositeHeapBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return parent.compositeDirectBuffer();
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return parent.compositeDirectBuffer(maxNumComponents);
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
