package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.sluice.api.BufferDiscard;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The encrypted inbound side: the subscriber of the lower connection's {@code receive()}, and the bytes received
 * but not yet decrypted.
 *
 * <p>It requests one buffer at a time, only when the driver asks ({@link #request()}): the handshake needs a record,
 * or the application wants data and no whole record is held. Arrivals are merged into one cumulation so that each
 * record can be handed to the engine whole: a read holding several records is used as it is; a record split
 * across reads is copied into a buffer of the record's size once its header is known, so a record split at every
 * byte costs one copy. Only a partial record is held between reads, parked ({@link ParkedBuffer}) so that the end
 * of the lower connection releases it at once; the cumulation is released as soon as it is consumed, and on
 * {@link #dispose()}.
 *
 * <p>Signals from the lower connection may come on any thread: they are queued and the driver is woken. Everything
 * else runs in the driver's drain loop.
 */
final class CipherInbound implements CoreSubscriber<ByteBuf> {

    private final TlsEngineDriver driver;
    private final EngineIo io;
    private static final Context CONTEXT = BufferDiscard.enable(Context.empty());

    private final Arrivals<ByteBuf> inbox = new Arrivals<>();

    private volatile Subscription upstream;
    private volatile boolean done;
    private volatile Throwable error;
    private volatile boolean disposed;

    /** The cumulation, while the loop waits for more bytes: released as soon as the lower connection ends. */
    private final ParkedBuffer parked = new ParkedBuffer();

    // Owned by the drain loop.
    private ByteBuf cumulation;
    private boolean awaiting;
    /** The engine wanted more than this many held bytes: no record is whole until more arrive. */
    private int starvedAt = -1;

    CipherInbound(TlsEngineDriver driver, EngineIo io) {
        this.driver = driver;
        this.io = io;
    }

    @Override
    public Context currentContext() {
        return CONTEXT;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(upstream, s)) {
            upstream = s;
            if (disposed) {
                s.cancel();
            }
            driver.drain();
        }
    }

    @Override
    public void onNext(ByteBuf buf) {
        if (disposed || done) {
            buf.release();
            return;
        }
        inbox.push(buf);
        if (disposed) {
            releaseInbox();
        }
        driver.drain();
    }

    /** The partial record waiting for more and the bytes not yet taken are worthless now: released at once. */
    @Override
    public void onError(Throwable t) {
        if (done) {
            return;
        }
        error = t;
        done = true;
        parked.close();
        releaseInbox();
        driver.drain();
    }

    /** The partial record waiting for more can never be completed: released at once; bytes not yet taken stay. */
    @Override
    public void onComplete() {
        done = true;
        parked.close();
        driver.drain();
    }

    /** Takes the cumulation back from parking, and moves what arrived into it. */
    void take() {
        if (cumulation == null) {
            cumulation = parked.take();
        }
        Arrivals.Node<ByteBuf> in = inbox.takeAll();
        while (in != null) {
            Arrivals.Node<ByteBuf> rest = in.next;
            awaiting = false;
            try {
                append(in.item);
            } catch (RuntimeException | Error e) {
                release(rest);
                throw e;
            }
            in = rest;
        }
    }

    /**
     * The length of the whole record at the head of the cumulation; 0 when no whole record is held. When the bytes
     * held cannot start a TLS record, all of them, so that the engine can judge them.
     */
    int nextRecordLength() {
        ByteBuf cum = cumulation;
        if (cum == null) {
            return 0;
        }
        int readable = cum.readableBytes();
        if (readable <= starvedAt) {
            return 0;
        }
        int length = TlsRecords.recordLength(cum, cum.readerIndex(), readable);
        if (length == TlsRecords.NOT_TLS) {
            return readable;
        }
        return length > 0 && length <= readable ? length : 0;
    }

    /** The bytes of the consecutive whole records at the head of the cumulation, counting at most up to {@code max}. */
    int wholeRecordBytes(int max) {
        ByteBuf cum = cumulation;
        if (cum == null) {
            return 0;
        }
        int index = cum.readerIndex();
        int end = cum.writerIndex();
        int total = 0;
        while (total < max) {
            int length = TlsRecords.recordLength(cum, index, end - index);
            if (length <= 0 || length > end - index) {
                break;
            }
            total += length;
            index += length;
        }
        return total;
    }

    /** The cumulation the engine reads from; valid until the next {@link #take()} or {@link #consumed()}. */
    ByteBuf cumulation() {
        return cumulation;
    }

    int heldBytes() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    /** The engine could not use the bytes held (BUFFER_UNDERFLOW): hold them until more arrive. */
    void underflow() {
        starvedAt = heldBytes();
    }

    /** Releases the cumulation once the engine has read all of it. */
    void consumed() {
        ByteBuf cum = cumulation;
        if (cum != null && !cum.isReadable()) {
            cumulation = null;
            cum.release();
        }
    }

    /** The lower connection has ended (completed or failed) and everything it sent has been taken. */
    boolean ended() {
        return done && inbox.isEmpty();
    }

    /** The lower connection's error, or null if it completed (or has not ended). */
    Throwable error() {
        return error;
    }

    /**
     * Asks the lower connection for one more buffer, unless one is already on its way, and parks the partial record
     * held meanwhile. The loop must not touch the cumulation again before {@link #take()}.
     */
    void request() {
        Subscription s = upstream;
        if (s == null || done || disposed) {
            return;
        }
        ByteBuf cum = cumulation;
        if (cum != null) {
            cumulation = null;
            parked.park(trim(cum));
        }
        if (!awaiting) {
            awaiting = true;
            s.request(1);
        }
    }

    /** Stops reading for good: cancels the lower connection's stream and releases everything held. */
    void dispose() {
        if (!disposed) {
            disposed = true;
            Subscription s = upstream;
            if (s != null && !done) {
                s.cancel();
            }
        }
        parked.close();
        releaseInbox();
        ByteBuf cum = cumulation;
        if (cum != null) {
            cumulation = null;
            cum.release();
        }
    }

    boolean disposed() {
        return disposed;
    }

    private void append(ByteBuf in) {
        if (disposed || !in.isReadable()) {
            in.release();
            return;
        }
        starvedAt = -1;
        ByteBuf cum = cumulation;
        if (cum == null) {
            cumulation = in.touch(this);
            return;
        }
        try {
            int needed = in.readableBytes();
            if (cum.writableBytes() >= needed && cum.refCnt() == 1 && !cum.isReadOnly()) {
                cum.writeBytes(in);
                return;
            }
            int held = cum.readableBytes();
            int record = TlsRecords.recordLength(cum, cum.readerIndex(), held);
            ByteBuf merged = io.allocate(Math.max(held + needed, record));
            merged.writeBytes(cum, cum.readerIndex(), held).writeBytes(in);
            cumulation = merged.touch(this);
            cum.release();
        } finally {
            in.release();
        }
    }

    /** Before waiting for more bytes: a partial record left in a much larger read buffer moves to one its size. */
    private ByteBuf trim(ByteBuf cum) {
        int held = cum.readableBytes();
        int record = Math.max(held, TlsRecords.recordLength(cum, cum.readerIndex(), held));
        if (cum.capacity() <= 2 * record || cum.capacity() - record <= 1024) {
            return cum;
        }
        try {
            ByteBuf right = io.allocate(record);
            return right.writeBytes(cum, cum.readerIndex(), held).touch(this);
        } finally {
            cum.release();
        }
    }

    private void releaseInbox() {
        release(inbox.takeAll());
    }

    private static void release(Arrivals.Node<ByteBuf> chain) {
        for (Arrivals.Node<ByteBuf> in = chain; in != null; in = in.next) {
            in.item.release();
        }
    }

    @Override
    public String toString() {
        return "sluice: TLS records held by " + driver;
    }
}
