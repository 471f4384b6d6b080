package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BufferDiscard;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
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
}
