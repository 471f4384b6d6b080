package io.sluice.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Keep-alive pings: one every interval while none is unanswered, each carrying an 8-byte sequence number; a pong
 * echoing it answers it, and one unanswered for the timeout calls {@code onTimeout} once. Unsolicited pongs and
 * pongs for older pings are ignored.
 *
 * <p>Ownership: each ping payload is allocated here and handed to {@code sendPing}, which takes it. Pong payloads
 * are only read. Lock-free: the pending sequence number is one atomic.
 */
final class KeepAlive {

    private final Duration interval;
    private final Duration timeout;
    private final Scheduler scheduler;
    private final ByteBufAllocator alloc;
    private final Consumer<ByteBuf> sendPing;
    private final Runnable onTimeout;
    /** Marks the unanswered ping as timed out: no ping is sent after it, and no pong can match it. */
    private static final long TIMED_OUT = -1;

    /** The sequence number of the unanswered ping, 0 when none is, {@link #TIMED_OUT} after a timeout. */
    private final AtomicLong awaiting = new AtomicLong();
    /** Only the ticker touches it: its ticks are serial. */
    private long sequence;
    private volatile Disposable ticker;
    private volatile Disposable pongTimer;
    private volatile boolean stopped;

    KeepAlive(Duration interval, Duration timeout, Scheduler scheduler, ByteBufAllocator alloc,
              Consumer<ByteBuf> sendPing, Runnable onTimeout) {
        this.interval = interval;
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.alloc = alloc;
        this.sendPing = sendPing;
        this.onTimeout = onTimeout;
    }

    void start() {
        ticker = Flux.interval(interval, interval, scheduler).subscribe(tick -> tick());
        if (stopped) {
            ticker.dispose();
        }
    }

    void pongReceived(ByteBuf payload) {
        if (payload.readableBytes() == Long.BYTES) {
            long id = payload.getLong(payload.readerIndex());
            if (id > 0 && awaiting.compareAndSet(id, 0)) {
                Disposable timer = pongTimer;
                if (timer != null) {
                    timer.dispose();
                }
            }
        }
    }

    void stop() {
        stopped = true;
        Disposable t = ticker;
        if (t != null) {
            t.dispose();
        }
        t = pongTimer;
        if (t != null) {
            t.dispose();
        }
    }

    private void tick() {
        if (stopped || awaiting.get() != 0) {
            return;
        }
        long id = ++sequence;
        awaiting.set(id);
        pongTimer = scheduler.schedule(() -> {
            // Not back to 0: a tick on another worker would send one more ping before the session's close.
            if (!stopped && awaiting.compareAndSet(id, TIMED_OUT)) {
                onTimeout.run();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        sendPing.accept(alloc.buffer(Long.BYTES, Long.BYTES).writeLong(id));
    }
}
