package io.sluice.filters.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * The subscriber of one fuzz run of an operator over a synchronous source: it asks for items as its {@link Demand}
 * says, hands each to {@link #take}, and notes the first breach of the Reactive Streams rules it sees (a signal after
 * the end, no end at all once the source is spent). Also makes that source: {@link #source}.
 *
 * <p>Ownership: each item passed to {@link #take} is the subclass's to release.
 */
public abstract class RunSubscriber implements CoreSubscriber<ByteBuf> {

    /** How the subscriber asks for items. */
    public enum Demand {
        /** Everything at once. */
        UNBOUNDED,
        /** One at a time, asked for inside {@code onNext}. */
        ONE_BY_ONE,
        /** One at a time, cancelling after a given number of items. */
        CANCEL
    }

    private final Demand demand;
    private final int cancelAfter;
    private Subscription subscription;
    private int received;
    private boolean completed;
    private Throwable error;
    private boolean cancelled;
    private String breach;

    /** @param cancelAfter with {@link Demand#CANCEL}: the items taken before cancelling (0: at once) */
    protected RunSubscriber(Demand demand, int cancelAfter) {
        this.demand = demand;
        this.cancelAfter = cancelAfter;
    }

    /**
     * {@code pieces} as a peer's reads would bring them: each in a fresh buffer of {@code alloc} (direct, heap, or a
     * two-part composite of both, at random), made as the operator asks for it and then the operator's; then an error
     * if {@code sourceError} is not null.
     */
    public static Flux<ByteBuf> source(ByteBufAllocator alloc, List<byte[]> pieces, Throwable sourceError,
            SplittableRandom random) {
        long kinds = random.nextLong();
        AtomicInteger index = new AtomicInteger();
        Flux<ByteBuf> source = Flux.fromIterable(pieces)
                .map(piece -> buffer(alloc, piece, (int) (kinds >>> (2 * (index.getAndIncrement() % 32))) & 3));
        return sourceError == null ? source : source.concatWith(Flux.error(sourceError));
    }

    private static ByteBuf buffer(ByteBufAllocator alloc, byte[] piece, int kind) {
        if (kind == 2) {
            return alloc.heapBuffer(piece.length).writeBytes(piece);
        }
        if (kind == 3 && piece.length >= 2) {
            int half = piece.length / 2;
            CompositeByteBuf composite = alloc.compositeBuffer(2);
            composite.addComponent(true, alloc.heapBuffer(half).writeBytes(piece, 0, half));
            composite.addComponent(true, alloc.directBuffer(piece.length - half)
                    .writeBytes(piece, half, piece.length - half));
            return composite;
        }
        return alloc.directBuffer(piece.length).writeBytes(piece);
    }

    /** Receives one item, which it owns. */
    protected abstract void take(ByteBuf item);

    @Override
    public final void onSubscribe(Subscription s) {
        subscription = s;
        if (demand == Demand.CANCEL && cancelAfter == 0) {
            cancelled = true;
            s.cancel();
            return;
        }
        s.request(demand == Demand.UNBOUNDED ? Long.MAX_VALUE : 1);
    }

    @Override
    public final void onNext(ByteBuf item) {
        if (ended()) {
            breach("an item after the stream " + endName());
        }
        take(item);
        received++;
        if (demand == Demand.CANCEL && received == cancelAfter) {
            cancelled = true;
            subscription.cancel();
        } else if (demand != Demand.UNBOUNDED) {
            subscription.request(1);
        }
    }

    @Override
    public final void onError(Throwable t) {
        if (ended()) {
            breach("an error after the stream " + endName() + ": " + t);
        }
        error = t;
    }

    @Override
    public final void onComplete() {
        if (ended()) {
            breach("completion after the stream " + endName());
        }
        completed = true;
    }

    /** Notes {@code what} as the run's breach, unless one was noted before. */
    protected final void breach(String what) {
        if (breach == null) {
            breach = what;
        }
    }

    /** To be called once the source is spent: a stream that has not ended by then has hung. */
    protected final void checkEnded() {
        if (!ended()) {
            breach("the stream neither completed nor failed once its source had ended (a hang)");
        }
    }

    public final boolean completed() {
        return completed;
    }

    public final Throwable error() {
        return error;
    }

    public final boolean cancelled() {
        return cancelled;
    }

    /** The first rule broken, or null. */
    public final String breach() {
        return breach;
    }

    private boolean ended() {
        return completed || error != null || cancelled;
    }

    private String endName() {
        return completed ? "completed" : cancelled ? "was cancelled" : "failed";
    }
}
