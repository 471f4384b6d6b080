package io.sluice.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.SwappedByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import java.nio.ByteOrder;

/**
 * A buffer handed out by a {@link LeakTrackingAllocator}. The parent allocator may recycle the object it wraps as
 * soon as its count reaches zero, after which the wrapped buffer's {@code refCnt()} describes somebody else's
 * allocation (and {@code refCnt()} is final in {@link WrappedByteBuf}); so the root remembers for itself when it
 * was freed, and every slice or duplicate releases through it. Ownership is that of a plain {@link ByteBuf}: whoever holds it releases it once.
 */
abstract sealed class TrackedByteBuf extends WrappedByteBuf permits TrackedByteBuf.Root, TrackedByteBuf.View {

    TrackedByteBuf(ByteBuf buf) {
        super(buf);
    }

    abstract Root root();

    @Override
    public final ByteBuf retain() {
        root().buf.retain();
        return this;
    }

    @Override
    public final ByteBuf retain(int increment) {
        root().buf.retain(increment);
        return this;
    }

    @Override
    public final ByteBuf touch() {
        root().buf.touch();
        return this;
    }

    @Override
    public final ByteBuf touch(Object hint) {
        root().buf.touch(hint);
        return this;
    }

    @Override
    public final boolean release() {
        return root().release0(1);
    }

    @Override
    public final boolean release(int decrement) {
        return root().release0(decrement);
    }

    @Override
    public final ByteBuf slice() {
        return new View(buf.slice(), root());
    }

    @Override
    public final ByteBuf slice(int index, int length) {
        return new View(buf.slice(index, length), root());
    }

    @Override
    public final ByteBuf retainedSlice() {
        ByteBuf view = slice();
        root().buf.retain();
        return view;
    }

    @Override
    public final ByteBuf retainedSlice(int index, int length) {
        ByteBuf view = slice(index, length);
        root().buf.retain();
        return view;
    }

    @Override
    public final ByteBuf duplicate() {
        return new View(buf.duplicate(), root());
    }

    @Override
    public final ByteBuf retainedDuplicate() {
        ByteBuf view = duplicate();
        root().buf.retain();
        return view;
    }

    @Override
    public final ByteBuf readSlice(int length) {
        return new View(buf.readSlice(length), root());
    }

    @Override
    public final ByteBuf readRetainedSlice(int length) {
        ByteBuf view = readSlice(length);
        root().buf.retain();
        return view;
    }

    @Override
    public final ByteBuf order(ByteOrder endianness) {
        return endianness == order() ? this : new SwappedByteBuf(this);
    }

    @Override
    public final ByteBuf asReadOnly() {
        return isReadOnly() ? this : Unpooled.unmodifiableBuffer(this);
    }

    @Override
    public final String toString() {
        return "Tracked" + buf;
    }

    /** The buffer the parent allocator returned. */
    static final class Root extends TrackedByteBuf {
        volatile boolean freed;

        Root(ByteBuf buf) {
            super(buf);
        }

        @Override
        Root root() {
            return this;
        }

        boolean isFreed() {
            return freed;
        }

        boolean release0(int decrement) {
            if (buf.release(decrement)) {
                freed = true;
                return true;
            }
            return false;
        }
    }

    /** A slice or duplicate; shares the root's count. */
    static final class View extends TrackedByteBuf {
        private final Root root;

        View(ByteBuf derived, Root root) {
            super(derived);
            this.root = root;
        }

        @Override
        Root root() {
            return root;
        }
    }
}
