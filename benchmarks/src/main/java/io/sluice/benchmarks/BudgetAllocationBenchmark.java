package io.sluice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.sluice.api.BufferBudget;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the budget's accounting on a 64-byte direct buffer's life: allocate, release. The budget sits on
 * Netty's default allocator, which in Netty 4.2 is the adaptive one, so both the default and the pooled allocator
 * are measured raw, to tell the accounting's cost from the allocators' difference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class BudgetAllocationBenchmark {

    private ByteBufAllocator budgetAllocator;
    private ByteBufAllocator budgetOverPooled;

    @Setup
    public void setUp() {
        budgetAllocator = BufferBudget.builder().build().allocator();
        budgetOverPooled = BufferBudget.builder().parent(PooledByteBufAllocator.DEFAULT).build().allocator();
    }

    @Benchmark
    public boolean budgetOverDefault() {
        ByteBuf b = budgetAllocator.directBuffer(64);
        return b.release();
    }

    @Benchmark
    public boolean budgetOverPooled() {
        ByteBuf b = budgetOverPooled.directBuffer(64);
        return b.release();
    }

    @Benchmark
    public boolean rawDefault() {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(64);
        return b.release();
    }

    @Benchmark
    public boolean rawPooled() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        return b.release();
    }
}
