package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.api.BufferBudget;
import org.junit.jupiter.api.Test;

/**
 * {@link BufferBudget#reclaimableHeadroom}: the bytes in front of the readable ones are offered for a header only in
 * a buffer whose memory a budget allocated and whose one reference the caller holds; never in adopted memory, a
 * slice or duplicate, a buffer with another reference or retained view, or a read-only view.
 */
class ReclaimableHeadroomTest {

    private static BufferBudget budget() {
        return BufferBudget.builder().name("headroom").parent(SluiceTest.allocator()).trackBuffers(true).build();
    }

    /** A buffer of 8 bytes whose reader index is 4: four bytes of room, four readable. */
    private static ByteBuf withRoom(BufferBudget budget) {
        ByteBuf buf = budget.allocator().buffer(8, 8);
        buf.setIndex(4, 4).writeInt(0x01020304);
        return buf;
    }

    @Test
    void offersTheBytesBeforeTheReaderIndexOfAnAllocatedBufferWithOneReference() {
        BufferBudget budget = budget();
        ByteBuf buf = withRoom(budget);
        assertThat(BufferBudget.reclaimableHeadroom(buf)).isEqualTo(4);
        buf.readByte();
        assertThat(BufferBudget.reclaimableHeadroom(buf)).isEqualTo(5);
        buf.release();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void offersNothingWhileAnotherReferenceIsHeld() {
        BufferBudget budget = budget();
        ByteBuf buf = withRoom(budget).retain();
        assertThat(BufferBudget.reclaimableHeadroom(buf)).isZero();
        buf.release();
        assertThat(BufferBudget.reclaimableHeadroom(buf)).isEqualTo(4);
        buf.release();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void offersNothingWhileARetainedSliceOrDuplicateLives() {
        BufferBudget budget = budget();
        ByteBuf buf = withRoom(budget);
        ByteBuf slice = buf.retainedSlice();
        ByteBuf duplicate = buf.retainedDuplicate();
        assertThat(BufferBudget.reclaimableHeadroom(buf)).isZero();
        assertThat(BufferBudget.reclaimableHeadroom(slice)).isZero();
        assertThat(BufferBudget.reclaimableHeadroom(duplicate)).isZero();
        slice.release();
        duplicate.release();
        assertThat(BufferBudget.reclaimableHeadroom(buf)).isEqualTo(4);
        buf.release();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void offersNothingInASliceOrDuplicate() {
        BufferBudget budget = budget();
        ByteBuf buf = budget.allocator().buffer(16, 16).writeZero(16);
        ByteBuf slice = buf.slice(8, 8).readerIndex(4);
        ByteBuf duplicate = buf.duplicate().readerIndex(4);
        assertThat(BufferBudget.reclaimableHeadroom(slice)).isZero();
        assertThat(BufferBudget.reclaimableHeadroom(duplicate)).isZero();
        buf.release();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void offersNothingInAdoptedMemory() {
        BufferBudget budget = budget();
        byte[] shared = new byte[8];
        ByteBuf adopted = budget.adopt(Unpooled.wrappedBuffer(shared).readerIndex(4));
        assertThat(BufferBudget.reclaimableHeadroom(adopted)).isZero();
        adopted.release();
        assertThat(budget.close()).isEmpty();
    }

    @Test
    void offersNothingInAReadOnlyViewOrAForeignBuffer() {
        BufferBudget budget = budget();
        ByteBuf buf = withRoom(budget);
        assertThat(BufferBudget.reclaimableHeadroom(buf.asReadOnly())).isZero();
        ByteBuf foreign = Unpooled.buffer(8, 8).setIndex(4, 8); // no budget's
        assertThat(BufferBudget.reclaimableHeadroom(foreign)).isZero();
        foreign.release();
        buf.release();
        assertThat(budget.close()).isEmpty();
    }
}
