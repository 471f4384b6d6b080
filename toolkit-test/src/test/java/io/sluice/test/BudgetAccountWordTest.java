package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BufferBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A budget keeps its outstanding bytes and buffers in one word, updated once per allocation and once per release:
 * both stay exact through growth, shrinking and releases on other threads than the allocating one.
 */
class BudgetAccountWordTest {

    private static BufferBudget budget() {
        return BufferBudget.builder().name("account-word").parent(SluiceTest.allocator()).build();
    }

    @Test
    void bytesAndBuffersStayApartThroughGrowthAndShrinking() {
        BufferBudget budget = budget();
        List<ByteBuf> held = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            held.add(budget.allocator().buffer(i, 1 << 20));
        }
        assertThat(budget.outstandingBuffers()).isEqualTo(100);
        assertThat(budget.outstandingBytes()).isEqualTo(100 * 101 / 2);
        ByteBuf grown = held.get(0).writeZero(5000); // capacity 1 grows past 5000
        long grownCapacity = grown.capacity();
        assertThat(budget.outstandingBuffers()).isEqualTo(100);
        assertThat(budget.outstandingBytes()).isEqualTo(100 * 101 / 2 - 1 + grownCapacity);
        grown.capacity(10);
        assertThat(budget.outstandingBuffers()).isEqualTo(100);
        assertThat(budget.outstandingBytes()).isEqualTo(100 * 101 / 2 - 1 + 10);
        held.forEach(ByteBuf::release);
        assertThat(budget.outstandingBytes()).isZero();
        assertThat(budget.outstandingBuffers()).isZero();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void releasesOnOtherThreadsLeaveTheAccountExact() throws InterruptedException {
        BufferBudget budget = budget();
        int perThread = 20_000;
        int threads = 3;
        LinkedBlockingQueue<ByteBuf> handedOver = new LinkedBlockingQueue<>();
        CountDownLatch allocated = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    ByteBuf b = budget.allocator().buffer(1 + i % 64);
                    if (i % 2 == 0) {
                        b.release();
                    } else {
                        handedOver.add(b);
                    }
                }
                allocated.countDown();
            }));
        }
        Thread releaser = new Thread(() -> {
            try {
                while (allocated.getCount() > 0 || !handedOver.isEmpty()) {
                    ByteBuf b = handedOver.poll(10, TimeUnit.MILLISECONDS);
                    if (b != null) {
                        b.release();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        workers.forEach(Thread::start);
        releaser.start();
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
        }
        releaser.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(handedOver).isEmpty();
        assertThat(budget.outstandingBuffers()).isZero();
        assertThat(budget.outstandingBytes()).isZero();
        assertThat(budget.exhausted()).isFalse();
        assertThat(budget.close()).isEmpty();
    }
}
