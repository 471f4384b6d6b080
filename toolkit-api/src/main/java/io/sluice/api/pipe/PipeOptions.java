package io.sluice.api.pipe;

import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/** Settings of a {@link Pipe}: the allocator behind both ends' budgets, their water marks, and how writes split. */
public final class PipeOptions {

    ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    Chunking chunking = Chunking.whole();
    long lowWaterMark = io.sluice.api.BufferBudget.DEFAULT_LOW_WATER_MARK;
    long highWaterMark = io.sluice.api.BufferBudget.DEFAULT_HIGH_WATER_MARK;
    String name = "pipe";

    public static PipeOptions defaults() {
        return new PipeOptions();
    }

    /** The allocator both ends' budgets take memory from; tests pass the test kit's leak-tracking allocator. */
    public PipeOptions allocator(ByteBufAllocator allocator) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        return this;
    }

    /** How each write is split into reads on the other end. */
    public PipeOptions chunking(Chunking chunking) {
        this.chunking = Objects.requireNonNull(chunking, "chunking");
        return this;
    }

    /** Water marks of each end's budget: delivery to an end stops while its budget is exhausted. */
    public PipeOptions waterMarks(long low, long high) {
        if (low < 0 || high <= 0 || low >= high) {
            throw new IllegalArgumentException("water marks must satisfy 0 <= low < high, got " + low + "/" + high);
        }
        this.lowWaterMark = low;
        this.highWaterMark = high;
        return this;
    }

    /** Prefix of the ends' ids ({@code NAME-left}, {@code NAME-right}). */
    public PipeOptions name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }
}
