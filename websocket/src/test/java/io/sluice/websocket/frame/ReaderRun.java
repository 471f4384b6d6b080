package io.sluice.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.BufferBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One fuzz input fed to a fresh {@link FrameReader}, in the pieces given, with the reader's promises checked at
 * every step: pieces of a frame come in order with their flags right and within the frame's length; control frames
 * whole, final and at most 125 bytes; after "need more" the reader holds at most a header's worth; the only failure
 * is a {@link WebSocketProtocolException} with an allowed close code, after which (as after a close frame) nothing is
 * held or read; memory never grows past a small multiple of the input, whatever a length field says; and, once
 * released, the reader has let go of every buffer, checked on a budget of the run's own so that a leak names the
 * case. Anything else thrown escapes to the caller, which names the case.
 *
 * <p>Ownership: every buffer fed is allocated here and handed to the reader; every payload polled is read and
 * released here.
 */
final class ReaderRun {

    /** What the reader made of an input: each frame (data pieces gathered), then how the input ended. */
    record Outcome(List<String> frames, String end) {
    }

    /** What a reader may do: its close codes, what it may hold while waiting, its frame size limit, RSV1. */
    record Rules(Set<Integer> closeCodes, int maxHeldWaiting, long maxDataFrame, boolean rsv1Allowed) {
    }

    private final Rules rules;
    private final BufferBudget budget;
    private final FrameReader reader;
    private final List<String> frames = new ArrayList<>();
    private long fed;
    // The frame being gathered.
    private boolean inFrame;
    private int opcode;
    private boolean fin;
    private boolean rsv1;
    private long consumed;
    private final StringBuilder hex = new StringBuilder();

    private ReaderRun(ByteBufAllocator parent, Function<ByteBufAllocator, FrameReader> factory, Rules rules) {
        this.rules = rules;
        this.budget = BufferBudget.builder().name("fuzzed reader").parent(parent)
                .waterMarks(Long.MAX_VALUE / 4, Long.MAX_VALUE / 2).trackBuffers(false).build();
        this.reader = factory.apply(budget.allocator());
    }

    /**
     * Feeds {@code input} cut at {@code cuts} (sorted offsets) into a reader made by {@code factory} over a budget of
     * its own taking memory from {@code parent}; {@code kinds} picks each buffer's kind (heap, direct, read-only),
     * which must not change the outcome.
     */
    static Outcome run(ByteBufAllocator parent, Function<ByteBufAllocator, FrameReader> factory, Rules rules,
                       byte[] input, int[] cuts, SplittableRandom kinds) throws WebSocketProtocolException {
        return new ReaderRun(parent, factory, rules).feedAll(input, cuts, kinds);
    }

    private Outcome feedAll(byte[] input, int[] cuts, SplittableRandom kinds) throws WebSocketProtocolException {
        String end = null;
        try {
            int from = 0;
            for (int k = 0; k <= cuts.length; k++) {
                int to = k < cuts.length ? cuts[k] : input.length;
                ByteBuf buf = buffer(input, from, to - from, kinds);
                from = to;
                if (end != null) {
                    reader.feed(buf);
                    check(reader.buffered() == 0, "bytes held after " + end);
                    check(reader.poll() == null, "a frame read after " + end);
                    continue;
                }
                fed += buf.readableBytes();
                reader.feed(buf);
                end = drain();
            }
            if (end == null) {
                end = "needs more";
                if (inFrame) {
                    frames.add("partial " + WireFrames.describe(opcode, fin, rsv1, hex.toString()));
                }
            }
        } finally {
            reader.release();
        }
        check(budget.outstandingBuffers() == 0, budget.outstandingBuffers() + " buffer(s) of "
                + budget.outstandingBytes() + " B still held after release()");
        budget.close();
        return new Outcome(frames, end);
    }

    private ByteBuf buffer(byte[] input, int from, int length, SplittableRandom kinds) {
        ByteBufAllocator alloc = budget.allocator();
        ByteBuf buf = switch (kinds.nextInt(4)) {
            case 0 -> alloc.heapBuffer(length);
            case 1 -> alloc.directBuffer(length).writeBytes(input, from, length).asReadOnly();
            default -> alloc.directBuffer(length);
        };
        return buf.isReadOnly() ? buf : buf.writeBytes(input, from, length);
    }

    /** Polls until the reader needs more; returns null then, or how the stream ended. */
    private String drain() throws WebSocketProtocolException {
        for (;;) {
            Frame f;
            try {
                f = reader.poll();
            } catch (WebSocketProtocolException e) {
                check(rules.closeCodes().contains(e.closeCode()), "close code " + e.closeCode() + " ("
                        + e.getMessage() + ") is not one of " + rules.closeCodes());
                check(reader.buffered() == 0, "bytes held after the violation");
                check(reader.poll() == null, "a frame read after the violation");
                return "error " + e.closeCode() + " " + e.getMessage();
            }
            if (f == null) {
                check(!reader.closed(), "closed without returning a close frame");
                check(reader.buffered() <= rules.maxHeldWaiting(), reader.buffered()
                        + " B held while waiting for more");
                check(budget.outstandingBytes() <= 4 * fed + 4096, budget.outstandingBytes() + " B held after "
                        + fed + " B fed");
                return null;
            }
            accept(f);
            if (f.opcode() == WebSocketProtocol.OPCODE_CLOSE) {
                check(reader.closed(), "not closed after the close frame");
                check(reader.buffered() == 0, "bytes held after the close frame");
                check(reader.poll() == null, "a frame read after the close frame");
                return "closed";
            }
        }
    }

    private void accept(Frame f) {
        ByteBuf p = f.payload();
        check(p.refCnt() > 0, "payload already released");
        int size = p.readableBytes();
        check(!WebSocketProtocol.isReserved(f.opcode()), "reserved opcode " + f.opcode());
        check(!f.rsv1() || rules.rsv1Allowed(), "RSV1 without permessage-deflate");
        if (inFrame) {
            check(!f.first() && f.opcode() == opcode && f.fin() == fin && f.rsv1() == rsv1,
                    "piece " + f + " does not continue " + WebSocketProtocol.opcodeName(opcode));
        } else {
            check(f.first(), "frame " + f + " starts without first()");
            inFrame = true;
            opcode = f.opcode();
            fin = f.fin();
            rsv1 = f.rsv1();
            consumed = 0;
            hex.setLength(0);
        }
        if (f.length() == Frame.UNKNOWN_LENGTH) {
            check(consumed + size <= rules.maxDataFrame(), "frame grows past the limit");
        } else {
            check(consumed + size <= f.length(), "piece runs past the frame's length: " + f);
            check(f.last() == (consumed + size == f.length()), "last() wrong: " + f);
            check(f.isControl() || f.length() <= rules.maxDataFrame(), "frame over the limit: " + f);
        }
        if (f.isControl()) {
            check(f.first() && f.last() && f.fin() && size <= WebSocketProtocol.MAX_CONTROL_PAYLOAD,
                    "control frame not whole, final and within 125 bytes: " + f);
        }
        hex.append(Hex.of(p));
        consumed += size;
        p.release();
        if (f.last()) {
            frames.add(WireFrames.describe(opcode, fin, rsv1, hex.toString()));
            inFrame = false;
        }
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError(problem);
        }
    }
}
