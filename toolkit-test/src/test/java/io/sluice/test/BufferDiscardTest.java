package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.sluice.api.BufferBudget;
import io.sluice.api.BufferDiscard;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The discard hook in a subscriber's context: added once, shared where it can be (every connection has several
 * subscribers that would otherwise each hold a context of their own), and releasing what operators drop.
 */
class BufferDiscardTest {

    @Test
    void subscribersWithoutAContextOfTheirOwnShareOne() {
        assertThat(BufferDiscard.enable(Context.empty())).isSameAs(BufferDiscard.enable(Context.empty()));
    }

    @Test
    void aContextThatAlreadyHasTheHookIsKeptAsItIs() {
        Context withHook = BufferDiscard.enable(Context.of("user", "value"));

        assertThat(BufferDiscard.enable(withHook)).isSameAs(withHook);
        assertThat(BufferDiscard.enable(BufferDiscard.enable(Context.empty()))).isSameAs(
                BufferDiscard.enable(Context.empty()));
    }

    @Test
    void otherEntriesOfTheContextAreKept() {
        Context enabled = BufferDiscard.enable(Context.of("user", "value"));

        assertThat(enabled.<String>get("user")).isEqualTo("value");
        assertThat(enabled.size()).isEqualTo(2);
    }

    @Test
    void buffersDroppedUnderASharedOrAKeptContextAreReleased() {
        ByteBuf first = SluiceTest.allocator().buffer().writeByte(1);
        ByteBuf second = SluiceTest.allocator().buffer().writeByte(2);
        Context kept = BufferDiscard.enable(BufferDiscard.enable(Context.of("user", "value")));

        Flux.just(first).filter(b -> false).contextWrite(BufferDiscard::enable).blockLast();
        Flux.just(second).filter(b -> false).contextWrite(kept).blockLast();

        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
    }

    /**
     * Netty's pooled buffers are recycled: once the application has released one, the same buffer object may be
     * handed out for the next read, and its count then answers for that read. A discard that follows the
     * application's release (a {@code doOnNext} that releases, then {@code then()} dropping the element) must not
     * free the new owner's memory; it once did, and the read's owner then failed with "refCnt: 0".
     */
    @Test
    void aDropAfterTheApplicationsReleaseLeavesARecycledBufferAlone() {
        AtomicInteger releases = new AtomicInteger();
        // Stands for a pooled buffer that, once released, at once serves another allocation (count 1 again).
        ByteBuf memory = Unpooled.buffer(8);
        ByteBuf recycled = new WrappedByteBuf(memory) {
            @Override
            public boolean release() {
                return release(1);
            }

            @Override
            public boolean release(int decrement) {
                releases.incrementAndGet();
                return true;
            }
        };
        BufferBudget budget = BufferBudget.create("recycling");
        ByteBuf accounted = budget.adopt(recycled);

        assertThat(accounted.release()).isTrue();
        assertThat(accounted.refCnt()).as("the recycled buffer's count, the new owner's").isEqualTo(1);
        Operators.onDiscard(accounted, BufferDiscard.enable(Context.empty()));

        assertThat(releases).as("releases of the recycled buffer").hasValue(1);
        assertThatThrownBy(accounted::release).isInstanceOf(IllegalReferenceCountException.class);
        assertThat(releases).hasValue(1);
        assertThat(budget.outstandingBytes()).isZero();
        memory.release();
    }
}
