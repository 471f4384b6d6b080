package io.sluice.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.SwappedByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import io.netty.util.IllegalReferenceCountException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.charset.Charset;

/**
 * A buffer accounted to a {@link BufferBudget}. The {@link Root} wraps the buffer the budget allocated and carries
 * its reference count; the budget is credited exactly once, when that count reaches zero. A {@link RetainedView}
 * (a retained slice or duplicate) has a count of its own and holds one reference to the buffer it was made from,
 * released when its own count reaches zero, as Netty's pooled derived buffers do: a second release of it fails on
 * it rather than taking a reference that another holder owns, so the discard hook (which releases only what still
 * has references) can safely follow an application's release. A plain {@link View} (slice, duplicate) shares the
 * count of the buffer it was made from.
 */
abstract sealed class AccountedByteBuf extends WrappedByteBuf
        permits AccountedByteBuf.Root, AccountedByteBuf.View, AccountedByteBuf.RetainedView {

    AccountedByteBuf(ByteBuf buf) {
        super(buf);
    }

    abstract Root root();

    /** The buffer whose reference count this one uses: itself for a root or a retained view. */
    abstract AccountedByteBuf owner();

    abstract void retain0(int increment);

    abstract boolean release0(int decrement);

    /**
     * Whether the memory under this buffer is still this buffer's: false once its count reached zero, even if the
     * allocator has since recycled the wrapped buffer object for another allocation (which Netty's pooled buffers
     * are), whose count {@link #refCnt()} would then answer.
     */
    abstract boolean live();

    BufferBudget budget() {
        return root().budget;
    }

    @Override
    public final ByteBuf retain() {
        owner().retain0(1);
        return this;
    }

    @Override
    public final ByteBuf retain(int increment) {
        owner().retain0(increment);
        return this;
    }


    @Override
    public final ByteBuf touch() {
        root().buf.touch();
        return this;
    }

    /** The hint is kept for leak reports only when the budget tracks its buffers: a volatile write costs. */
    @Override
    public final ByteBuf touch(Object hint) {
        Root root = root();
        root.buf.touch(hint);
        if (root.tracker != null) {
            root.lastHint = hint;
        }
        return this;
    }

    @Override
    public final boolean release() {
        return owner().release0(1);
    }

    @Override
    public final boolean release(int decrement) {
        return owner().release0(decrement);
    }

    @Override
    public final ByteBuf slice() {
        return new View(buf.slice(), owner());
    }

    @Override
    public final ByteBuf slice(int index, int length) {
        return new View(buf.slice(index, length), owner());
    }

    @Override
    public final ByteBuf retainedSlice() {
        return retained(buf.slice());
    }

    @Override
    public final ByteBuf retainedSlice(int index, int length) {
        return retained(buf.slice(index, length));
    }

    @Override
    public final ByteBuf duplicate() {
        return new View(buf.duplicate(), owner());
    }

    @Override
    public final ByteBuf retainedDuplicate() {
        return retained(buf.duplicate());
    }

    @Override
    public final ByteBuf readSlice(int length) {
        return new View(buf.readSlice(length), owner());
    }

    @Override
    public final ByteBuf readRetainedSlice(int length) {
        return retained(buf.readSlice(length));
    }

    /** A view with its own count, holding one reference to this buffer's owner. */
    private ByteBuf retained(ByteBuf derived) {
        AccountedByteBuf parent = owner();
        parent.retain0(1);
        return new RetainedView(new View(derived, parent), root());
    }

    @Override
    public final ByteBuf order(ByteOrder endianness) {
        return endianness == order() ? this : new SwappedByteBuf(this);
    }

    @Override
    public final ByteBuf asReadOnly() {
        return isReadOnly() ? this : Unpooled.unmodifiableBuffer(this);
    }

    /** Copies are allocated from the same budget, like every other buffer of the connection. */
    @Override
    public final ByteBuf copy() {
        return copy(readerIndex(), readableBytes());
    }

    @Override
    public final ByteBuf copy(int index, int length) {
        ByteBuf copy = budget().allocator().buffer(length, maxCapacity());
        copy.writeBytes(buf, index, length);
        return copy;
    }

    @Override
    public final String toString() {
        return "Accounted" + buf;
    }

    /** Remembers a tracked root for leak reports; compared by identity, unlike a buffer. */
    static final class Tracker {
        private final Root root;
        private final Throwable site;

        Tracker(Root root, Throwable site) {
            this.root = root;
            this.site = site;
        }

        OutstandingBuffer snapshot() {
            return new OutstandingBuffer(root, root.lastHint, site);
        }

        String describe() {
            Object hint = root.lastHint;
            return (hint == null ? "<never touched>" : String.valueOf(hint)) + " (" + root.accounted + " B)";
        }
    }

    /** The buffer the budget allocated or adopted. */
    static final class Root extends AccountedByteBuf {
        final BufferBudget budget;
        final Tracker tracker;
        /** The budget's allocator took this memory from its parent: nobody outside the budget can see it. */
        private final boolean allocated;
        /** Bytes debited for this buffer; only the buffer's single writer changes it. */
        long accounted;
        volatile Object lastHint;
        /** The count reached zero: see {@link #live()}. */
        private volatile boolean freed;

        Root(BufferBudget budget, ByteBuf buf, boolean allocated, boolean tracked, Throwable site) {
            super(buf);
            this.budget = budget;
            this.allocated = allocated;
            this.accounted = buf.capacity();
            this.tracker = tracked ? new Tracker(this, site) : null;
        }

        @Override
        Root root() {
            return this;
        }

        /** See {@link BufferBudget#reclaimableHeadroom(ByteBuf)}. */
        int reclaimableHeadroom() {
            return allocated && buf.refCnt() == 1 && !buf.isReadOnly() ? buf.readerIndex() : 0;
        }

        @Override
        AccountedByteBuf owner() {
            return this;
        }

        @Override
        void retain0(int increment) {
            buf.retain(increment);
        }

        @Override
        boolean release0(int decrement) {
            if (freed) {
                // The wrapped buffer may be serving another allocation by now: never release it a second time.
                throw new IllegalReferenceCountException(0, -decrement);
            }
            if (buf.release(decrement)) {
                freed = true;
                budget.released(this);
                return true;
            }
            return false;
        }

        @Override
        boolean live() {
            return !freed;
        }

        /** Accounts growth done by the wrapped buffer (writes past capacity, explicit capacity changes). */
        private ByteBuf resized() {
            long now = buf.capacity();
            if (now != accounted) {
                long delta = now - accounted;
                accounted = now;
                budget.resized(delta);
            }
            return this;
        }

        @Override
        public ByteBuf capacity(int newCapacity) {
            buf.capacity(newCapacity);
            return resized();
        }

        @Override
        public ByteBuf ensureWritable(int minWritableBytes) {
            buf.ensureWritable(minWritableBytes);
            return resized();
        }

        @Override
        public int ensureWritable(int minWritableBytes, boolean force) {
            int result = buf.ensureWritable(minWritableBytes, force);
            resized();
            return result;
        }

        @Override
        public ByteBuf writeBoolean(boolean value) {
            buf.writeBoolean(value);
            return resized();
        }

        @Override
        public ByteBuf writeByte(int value) {
            buf.writeByte(value);
            return resized();
        }

        @Override
        public ByteBuf writeShort(int value) {
            buf.writeShort(value);
            return resized();
        }

        @Override
        public ByteBuf writeShortLE(int value) {
            buf.writeShortLE(value);
            return resized();
        }

        @Override
        public ByteBuf writeMedium(int value) {
            buf.writeMedium(value);
            return resized();
        }

        @Override
        public ByteBuf writeMediumLE(int value) {
            buf.writeMediumLE(value);
            return resized();
        }

        @Override
        public ByteBuf writeInt(int value) {
            buf.writeInt(value);
            return resized();
        }

        @Override
        public ByteBuf writeIntLE(int value) {
            buf.writeIntLE(value);
            return resized();
        }

        @Override
        public ByteBuf writeLong(long value) {
            buf.writeLong(value);
            return resized();
        }

        @Override
        public ByteBuf writeLongLE(long value) {
            buf.writeLongLE(value);
            return resized();
        }

        @Override
        public ByteBuf writeChar(int value) {
            buf.writeChar(value);
            return resized();
        }

        @Override
        public ByteBuf writeFloat(float value) {
            buf.writeFloat(value);
            return resized();
        }

        @Override
        public ByteBuf writeDouble(double value) {
            buf.writeDouble(value);
            return resized();
        }

        @Override
        public ByteBuf writeBytes(ByteBuf src) {
            buf.writeBytes(src);
            return resized();
        }

        @Override
        public ByteBuf writeBytes(ByteBuf src, int length) {
            buf.writeBytes(src, length);
            return resized();
        }

        @Override
        public ByteBuf writeBytes(ByteBuf src, int srcIndex, int length) {
            buf.writeBytes(src, srcIndex, length);
            return resized();
        }

        @Override
        public ByteBuf writeBytes(byte[] src) {
            buf.writeBytes(src);
            return resized();
        }

        @Override
        public ByteBuf writeBytes(byte[] src, int srcIndex, int length) {
            buf.writeBytes(src, srcIndex, length);
            return resized();
        }

        @Override
        public ByteBuf writeBytes(ByteBuffer src) {
            buf.writeBytes(src);
            return resized();
        }

        @Override
        public int writeBytes(InputStream in, int length) throws IOException {
            int n = buf.writeBytes(in, length);
            resized();
            return n;
        }

        @Override
        public int writeBytes(ScatteringByteChannel in, int length) throws IOException {
            int n = buf.writeBytes(in, length);
            resized();
            return n;
        }

        @Override
        public int writeBytes(FileChannel in, long position, int length) throws IOException {
            int n = buf.writeBytes(in, position, length);
            resized();
            return n;
        }

        @Override
        public ByteBuf writeZero(int length) {
            buf.writeZero(length);
            return resized();
        }

        @Override
        public int writeCharSequence(CharSequence sequence, Charset charset) {
            int n = buf.writeCharSequence(sequence, charset);
            resized();
            return n;
        }
    }

    /** A slice or duplicate; shares the reference count of the buffer it was made from, and the root's account. */
    static final class View extends AccountedByteBuf {
        private final AccountedByteBuf owner;

        View(ByteBuf derived, AccountedByteBuf owner) {
            super(derived);
            this.owner = owner;
        }

        @Override
        Root root() {
            return owner.root();
        }

        @Override
        AccountedByteBuf owner() {
            return owner;
        }

        @Override
        void retain0(int increment) {
            owner.retain0(increment);
        }

        @Override
        boolean release0(int decrement) {
            return owner.release0(decrement);
        }

        @Override
        boolean live() {
            return owner.live();
        }
    }

    /**
     * A retained slice or duplicate. Its count is that of a one-component {@link CompositeByteBuf} (Netty's own
     * reference-counted buffer, whose count is independent of its component's) holding a {@link View} that took one
     * reference to the parent; when the count reaches zero the composite releases that view, and so that reference.
     * {@link WrappedByteBuf#refCnt()} answers the composite's count.
     */
    static final class RetainedView extends AccountedByteBuf {
        private final Root root;

        RetainedView(View holdingOneReference, Root root) {
            super(counted(holdingOneReference, root));
            this.root = root;
        }

        private static ByteBuf counted(View view, Root root) {
            // The composite spans the whole view, with the view's indices, as a slice or duplicate would.
            int reader = view.readerIndex();
            int writer = view.writerIndex();
            view.setIndex(0, view.capacity());
            CompositeByteBuf one = new CompositeByteBuf(root.budget.allocator(), view.isDirect(), 1);
            one.addComponent(true, view);
            one.setIndex(reader, writer);
            return one;
        }

        @Override
        Root root() {
            return root;
        }

        @Override
        AccountedByteBuf owner() {
            return this;
        }

        @Override
        void retain0(int increment) {
            buf.retain(increment);
        }

        @Override
        boolean release0(int decrement) {
            return buf.release(decrement);
        }

        @Override
        boolean live() {
            return buf.refCnt() > 0; // its own composite, never recycled
        }
    }
}
