package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCountUtil;
import io.sluice.api.BufferBudget;
import io.sluice.api.BufferDiscard;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * A retained slice or duplicate of a budget buffer has a reference count of its own, as Netty's pooled derived
 * buffers do: releasing it twice fails on it instead of releasing a reference some other holder of the parent owns,
 * and the discard hook, which releases only what still has references, can follow a release in the application.
 */
class RetainedViewTest {

    private static BufferBudget budget() {
        return BufferBudget.builder().name("views").parent(SluiceTest.allocator()).trackBuffers(true).build();
    }

    /** Regression: {@code doOnNext(release).then()} released each frame twice, the second time its sibling's. */
    @Test
    void aReleaseFollowedByTheDiscardHookReleasesEachFrameOnce() {
        BufferBudget budget = budget();
        ByteBuf read = budget.allocator().buffer().writeBytes("a\nb\nc\n".getBytes(StandardCharsets.US_ASCII));
        ByteBuf a = read.readRetainedSlice(2);
        ByteBuf b = read.readRetainedSlice(2);
        ByteBuf c = read.readRetainedSlice(2);
        read.release(); // the frame decoder is done with its cumulation

        // then() hands every element to the discard hook after doOnNext released it.
        Flux.just(a, b, c).doOnNext(ReferenceCountUtil::release).then()
                .contextWrite(BufferDiscard::enable)
                .block();

        assertThat(budget.outstandingBuffers()).isZero();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void aRetainedSliceCountsOnItsOwnAndHoldsOneReferenceToItsParent() {
        BufferBudget budget = budget();
        ByteBuf parent = budget.allocator().buffer(16).writeZero(16);
        ByteBuf slice = parent.retainedSlice(0, 8);
        assertThat(slice.refCnt()).isEqualTo(1);
        assertThat(parent.refCnt()).isEqualTo(2);

        slice.retain();
        assertThat(slice.refCnt()).isEqualTo(2);
        assertThat(parent.refCnt()).isEqualTo(2);

        assertThat(slice.release()).isFalse();
        assertThat(slice.release()).isTrue();
        assertThat(slice.refCnt()).isZero();
        assertThat(parent.refCnt()).isEqualTo(1);
        assertThatThrownBy(slice::release).isInstanceOf(IllegalReferenceCountException.class);
        assertThat(parent.refCnt()).as("a double release must not reach the parent").isEqualTo(1);

        parent.release();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void aPlainSliceOfARetainedSliceSharesTheRetainedSlicesCount() {
        BufferBudget budget = budget();
        ByteBuf parent = budget.allocator().buffer(16).writeZero(16);
        ByteBuf retained = parent.retainedDuplicate();
        parent.release();
        ByteBuf view = retained.slice(0, 4);
        assertThat(view.refCnt()).isEqualTo(1);
        view.release(); // releases the retained duplicate, which releases the parent
        assertThat(retained.refCnt()).isZero();
        assertThat(budget.outstandingBuffers()).isZero();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void retainedSlicesOfRetainedSlicesReleaseTheirChainOnce() {
        BufferBudget budget = budget();
        ByteBuf parent = budget.allocator().buffer(16).writeZero(16);
        ByteBuf outer = parent.retainedSlice(0, 12);
        ByteBuf inner = outer.retainedSlice(0, 6);
        parent.release();
        outer.release();
        assertThat(budget.outstandingBuffers()).as("inner still holds outer, which holds the parent").isEqualTo(1);
        assertThat(inner.getByte(0)).isZero();
        inner.release();
        assertThat(budget.outstandingBuffers()).isZero();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void aRetainedDuplicateKeepsTheParentsIndicesAndCapacity() {
        BufferBudget budget = budget();
        ByteBuf parent = budget.allocator().buffer(32, 32).writeBytes(new byte[] {1, 2, 3, 4, 5});
        parent.readByte();
        ByteBuf copy = parent.retainedDuplicate();
        assertThat(copy.readerIndex()).isEqualTo(1);
        assertThat(copy.writerIndex()).isEqualTo(5);
        assertThat(copy.capacity()).isEqualTo(32);
        assertThat(copy.readByte()).isEqualTo((byte) 2);
        copy.release();
        parent.release();
        assertThat(budget.close()).isEmpty();
    }
}
