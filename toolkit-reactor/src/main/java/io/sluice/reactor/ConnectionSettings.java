package io.sluice.reactor;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;

/** Per-connection settings shared by servers and clients. */
record ConnectionSettings(ByteBufAllocator allocator, long lowWaterMark, long highWaterMark, Duration idleTimeout) {
}
