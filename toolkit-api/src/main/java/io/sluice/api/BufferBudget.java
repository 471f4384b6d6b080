package io.sluice.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One connection's allocator and memory account.
 *
 * <p>Every buffer allocated through {@link #allocator()} counts against the account, by capacity, until its
 * reference count reaches zero; slices and duplicates count with their parent. The transport allocates the buffers
 * it reads from the socket here too, so the account is all the memory the connection holds: inbound data not yet
 * consumed, buffers the application keeps, and outbound data not yet written.
 *
 * <p>The account drives backpressure: when outstanding bytes reach the high-water mark the budget is
 * {@linkplain #exhausted() exhausted} and the transport stops reading; it reads again once releases bring the
 * account down to the low-water mark.
 *
 * <p>On {@link #close()} the account must be zero. If it is not, the leak is logged once, counted in
 * {@link BudgetLeaks}, and reported to the listeners registered there. With Netty's leak detection level at
 * {@code ADVANCED} or {@code PARANOID} (or {@link Builder#trackBuffers(boolean)}), the budget also remembers each
 * live buffer, so the report names the last stage that {@linkplain ByteBuf#touch(Object) touched} each leaked one.
 *
 * <p>Thread-safe and lock-free: buffers may be allocated and released on any thread.
 */
public final class BufferBudget {

    /** Default high-water mark: 512 KiB outstanding per connection. */
    public static final long DEFAULT_HIGH_WATER_MARK = 512 * 1024;
    /** Default low-water mark: reading resumes at 256 KiB. */
    public static final long DEFAULT_LOW_WATER_MARK = 256 * 1024;

    private static final Logger log = Loggers.getLogger(BufferBudget.class);
    private static final int MAX_NAMED_IN_REPORT = 8;

    private static final AtomicLongFieldUpdater<BufferBudget> ACCOUNT =
            AtomicLongFieldUpdater.newUpdater(BufferBudget.class, "account");
    /**
     * The account keeps the bytes in its low 40 bits (up to 1 TiB) and the number of buffers above them (up to 2^23),
     * so that a buffer's allocation and its release each cost one atomic update instead of two. Neither limit can be
     * reached: a connection's buffers are bounded by the memory of the process long before.
     */
    private static final int BUFFERS_SHIFT = 40;
    private static final long ONE_BUFFER = 1L << BUFFERS_SHIFT;
    private static final long BYTES_MASK = ONE_BUFFER - 1;
    private static final AtomicIntegerFieldUpdater<BufferBudget> EXHAUSTED =
            AtomicIntegerFieldUpdater.newUpdater(BufferBudget.class, "exhaustedFlag");
    private static final AtomicIntegerFieldUpdater<BufferBudget> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(BufferBudget.class, "closedFlag");

    private final String name;
    private final ByteBufAllocator parent;
    private final long highWaterMark;
    private final long lowWaterMark;
    private final BudgetAllocator allocator;
    private final ConcurrentHashMap<AccountedByteBuf.Tracker, Boolean> live;
    private final boolean recordSites;

    /** Outstanding bytes and buffers in one word: see {@link #BUFFERS_SHIFT}. */
    private volatile long account;
    private volatile int exhaustedFlag;
    private volatile int closedFlag;
    private volatile Runnable pressureListener;

    private BufferBudget(Builder b) {
        this.name = b.name;
        this.parent = b.parent;
        this.highWaterMark = b.highWaterMark;
        this.lowWaterMark = b.lowWaterMark;
        boolean track = b.trackBuffers != null
                ? b.trackBuffers
                : ResourceLeakDetector.getLevel().ordinal() >= ResourceLeakDetector.Level.ADVANCED.ordinal();
        this.recordSites = b.recordAllocationSites;
        this.live = track || recordSites ? new ConcurrentHashMap<>() : null;
        this.allocator = new BudgetAllocator(this, parent);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A budget with default marks over Netty's default allocator. */
    public static BufferBudget create(String name) {
        return builder().name(name).build();
    }

    /** The allocator every buffer of this connection should come from. */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    /** The allocator this budget takes memory from. */
    public ByteBufAllocator parent() {
        return parent;
    }

    public String name() {
        return name;
    }

    public long highWaterMark() {
        return highWaterMark;
    }

    public long lowWaterMark() {
        return lowWaterMark;
    }

    /** Bytes (by capacity) held by live buffers of this budget. */
    public long outstandingBytes() {
        return account & BYTES_MASK;
    }

    /** Number of live buffers of this budget (derived buffers count with their parent). */
    public int outstandingBuffers() {
        return (int) (account >>> BUFFERS_SHIFT);
    }

    /**
     * True from the moment outstanding bytes reach the high-water mark until releases bring them down to the
     * low-water mark; while true, the transport does not read.
     */
    public boolean exhausted() {
        return exhaustedFlag != 0;
    }

    public boolean isClosed() {
        return closedFlag != 0;
    }

    /**
     * Sets the one listener told when {@link #exhausted()} may have changed. It may be called on any thread,
     * and must re-read {@link #exhausted()} rather than assume a direction. Set by the transport.
     */
    public void onPressureChange(Runnable listener) {
        this.pressureListener = listener;
    }

    /**
     * The live buffers of this budget, if it {@linkplain Builder#trackBuffers(boolean) tracks them} (empty
     * otherwise): for leak reports and tests. The buffers still belong to their owners; do not release them unless
     * you are cleaning up after a failure.
     */
    public List<OutstandingBuffer> outstanding() {
        if (live == null) {
            return List.of();
        }
        List<OutstandingBuffer> result = new ArrayList<>();
        for (AccountedByteBuf.Tracker tracker : live.keySet()) {
            result.add(tracker.snapshot());
        }
        return result;
    }

    /**
     * Takes ownership of a buffer allocated elsewhere and returns it accounted to this budget. The returned buffer
     * is the one to use and release from now on.
     */
    public ByteBuf adopt(ByteBuf foreign) {
        Objects.requireNonNull(foreign, "foreign");
        if (foreign instanceof AccountedByteBuf accounted && accounted.budget() == this) {
            return foreign;
        }
        return account(foreign, false);
    }

    /**
     * How many bytes in front of {@code buf}'s readable bytes its owner may overwrite, for an encoder that would
     * rather put a header there than copy the readable bytes behind a header in a new buffer: {@code buf}'s reader
     * index when all of these hold, otherwise 0.
     * <ul>
     *   <li>A budget allocated {@code buf}'s memory: not {@linkplain #adopt adopted} memory, which code that wrapped
     *       it (an array, a shared buffer) may still see;</li>
     *   <li>{@code buf} is that allocated buffer itself, not a slice or duplicate, whose bytes in front may belong
     *       to other parts of their parent;</li>
     *   <li>its reference count is 1: nobody else holds a reference, or a retained slice or duplicate of it (a
     *       message retained to be sent to several sessions is never written to);</li>
     *   <li>it is writable.</li>
     * </ul>
     * Only the owner of {@code buf} may ask and act on the answer; the bytes written are only ever in front of the
     * readable bytes, which stay as they are. Unretained slices and duplicates made by an earlier owner stopped being
     * valid when the buffer changed hands (rule 1 of the ownership rules), and must not be read afterwards.
     */
    public static int reclaimableHeadroom(ByteBuf buf) {
        return buf instanceof AccountedByteBuf.Root root ? root.reclaimableHeadroom() : 0;
    }

    /**
     * Closes the account and checks it: if buffers are still outstanding, logs the leak once, counts it, and tells
     * the {@link BudgetLeaks} listeners. Idempotent: only the first call checks.
     *
     * @return the leak, if there was one at the first call
     */
    public Optional<BudgetLeak> close() {
        if (!CLOSED.compareAndSet(this, 0, 1)) {
            return Optional.empty();
        }
        long now = account;
        long bytes = now & BYTES_MASK;
        int count = (int) (now >>> BUFFERS_SHIFT);
        if (bytes == 0 && count == 0) {
            return Optional.empty();
        }
        List<String> stages = new ArrayList<>();
        if (live != null) {
            for (AccountedByteBuf.Tracker tracker : live.keySet()) {
                if (stages.size() == MAX_NAMED_IN_REPORT) {
                    break;
                }
                stages.add(tracker.describe());
            }
        }
        BudgetLeak leak = new BudgetLeak(name, bytes, count, stages, live != null);
        BudgetLeaks.report(leak);
        log.error(leak.message());
        return Optional.of(leak);
    }

    /** Accounts a buffer the budget's allocator took from its parent. */
    ByteBuf account(ByteBuf buf) {
        return account(buf, true);
    }

    private ByteBuf account(ByteBuf buf, boolean allocated) {
        AccountedByteBuf.Root root = new AccountedByteBuf.Root(this, buf, allocated, live != null,
                recordSites ? new Throwable("allocated here") : null);
        if (live != null) {
            live.put(root.tracker, Boolean.TRUE);
        }
        debit(root.accounted, ONE_BUFFER);
        return root;
    }

    void resized(long delta) {
        if (delta > 0) {
            debit(delta, 0);
        } else if (delta < 0) {
            credit(-delta, 0);
        }
    }

    void released(AccountedByteBuf.Root root) {
        if (live != null) {
            live.remove(root.tracker);
        }
        credit(root.accounted, ONE_BUFFER);
    }

    /** Adds {@code bytes} and {@code buffers} (0 or {@link #ONE_BUFFER}) to the account in one atomic update. */
    private void debit(long bytes, long buffers) {
        long now = ACCOUNT.addAndGet(this, bytes + buffers) & BYTES_MASK;
        if (now >= highWaterMark && exhaustedFlag == 0 && EXHAUSTED.compareAndSet(this, 0, 1)) {
            notifyPressure();
        }
    }

    private void credit(long bytes, long buffers) {
        long now = ACCOUNT.addAndGet(this, -(bytes + buffers)) & BYTES_MASK;
        if (now <= lowWaterMark && exhaustedFlag != 0 && EXHAUSTED.compareAndSet(this, 1, 0)) {
            notifyPressure();
        }
    }

    private void notifyPressure() {
        Runnable listener = pressureListener;
        if (listener != null) {
            listener.run();
        }
    }

    @Override
    public String toString() {
        return "BufferBudget[" + name + ", " + outstandingBytes() + " B in " + outstandingBuffers()
                + " buffers, marks "
                + lowWaterMark + "/" + highWaterMark + (exhausted() ? ", exhausted" : "") + "]";
    }

    /** Settings of a {@link BufferBudget}. */
    public static final class Builder {
        private String name = "budget";
        private ByteBufAllocator parent = ByteBufAllocator.DEFAULT;
        private long highWaterMark = DEFAULT_HIGH_WATER_MARK;
        private long lowWaterMark = DEFAULT_LOW_WATER_MARK;
        private Boolean trackBuffers;
        private boolean recordAllocationSites;

        private Builder() {
        }

        /** The name used in leak reports, usually the connection id. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The allocator memory comes from; Netty's default (pooled) allocator unless set. */
        public Builder parent(ByteBufAllocator parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /** Reading stops when outstanding bytes reach {@code high} and resumes at {@code low}. */
        public Builder waterMarks(long low, long high) {
            if (low < 0 || high <= 0 || low >= high) {
                throw new IllegalArgumentException(
                        "water marks must satisfy 0 <= low < high, got low=" + low + " high=" + high);
            }
            this.lowWaterMark = low;
            this.highWaterMark = high;
            return this;
        }

        /**
         * Whether to remember each live buffer so that leak reports can name the last stage that touched it.
         * Costs a map update per buffer. Unset: on when Netty's leak detection level is ADVANCED or PARANOID.
         */
        public Builder trackBuffers(boolean trackBuffers) {
            this.trackBuffers = trackBuffers;
            return this;
        }

        /**
         * Whether to remember where each buffer was allocated (a stack trace per allocation: for tests and
         * debugging, not production). Implies {@link #trackBuffers(boolean) trackBuffers}.
         */
        public Builder recordAllocationSites(boolean recordAllocationSites) {
            this.recordAllocationSites = recordAllocationSites;
            return this;
        }

        public BufferBudget build() {
            return new BufferBudget(this);
        }
    }
}
