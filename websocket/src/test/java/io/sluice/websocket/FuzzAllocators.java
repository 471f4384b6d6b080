package io.sluice.websocket;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.sluice.test.LeakTrackingAllocator;
import io.sluice.test.SluiceTest;

/**
 * Where the buffers of the WebSocket module's seeded fuzz tests come from. A fuzz test runs thousands of short cases,
 * and Netty's paranoid leak detection, on in every test, records a stack trace at every access to a buffer: on every
 * case it would cost more than the case. These allocators keep a leak failing the case without paying that on each.
 * They hand buffers out and own none of them.
 */
public final class FuzzAllocators {

    private static final ByteBufAllocator PLAIN = new UnpooledByteBufAllocator(true, true);

    private FuzzAllocators() {
    }

    /**
     * The allocator a case's budget takes memory from: the test kit's leak-tracking allocator (under Netty's paranoid
     * leak detection) for every eighth iteration, Netty's unpooled allocator without leak detection for the others.
     * Every case checks its own budget for leaks either way; a buffer released twice or used after release fails
     * either way.
     */
    public static ByteBufAllocator parent(int iteration) {
        return iteration % 8 == 0 ? SluiceTest.allocator() : PLAIN;
    }

    /**
     * The test kit's leak tracking (every buffer handed out must come back, checked with
     * {@link LeakTrackingAllocator#assertNoLeaks} after each iteration) over buffers that Netty's leak detector leaves
     * alone: a parser that reads a head byte by byte, thousands of times, would take minutes instead of seconds.
     */
    public static LeakTrackingAllocator leakTracking() {
        return LeakTrackingAllocator.wrapping(new UnpooledByteBufAllocator(false, true));
    }
}
