package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/** The upper connection of a {@link LineFraming}; ownership as documented there. */
final class LineConnection extends ConnectionLayer {

    private final Delimiter delimiter;
    private final boolean newlineMode;
    private final int maxLineLength;

    LineConnection(Connection lower, Delimiter delimiter, boolean newlineMode, int maxLineLength) {
        super(lower);
        this.delimiter = delimiter;
        this.newlineMode = newlineMode;
        this.maxLineLength = maxLineLength;
    }

    @Override
    public Flux<ByteBuf> receive() {
        return FrameDecoder.receive(lower, new LineParser(delimiter, newlineMode, maxLineLength));
    }

    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return lower.send(Flux.<ByteBuf>from(data).handle(this::encode));
    }

    private void encode(ByteBuf line, SynchronousSink<ByteBuf> sink) {
        String problem = problemWith(line);
        if (problem != null) {
            line.release();
            sink.error(new IllegalArgumentException(problem));
            return;
        }
        ByteBufAllocator alloc = lower.budget().allocator();
        ByteBuf end;
        try {
            end = alloc.buffer(delimiter.length(), delimiter.length()).writeBytes(delimiter.bytes());
        } catch (RuntimeException e) {
            line.release();
            sink.error(e);
            return;
        }
        sink.next(alloc.compositeBuffer(2).addComponents(true, line, end));
    }

    /** Why the peer would not receive {@code line} as one identical line, or null. */
    private String problemWith(ByteBuf line) {
        int length = line.readableBytes();
        if (length > maxLineLength) {
            return "line of " + length + " bytes exceeds the limit of " + maxLineLength;
        }
        int at = delimiter.indexIn(line, line.readerIndex(), line.writerIndex());
        if (at >= 0) {
            return "line contains the delimiter at index " + (at - line.readerIndex());
        }
        if (newlineMode && length > 0 && line.getByte(line.writerIndex() - 1) == '\r') {
            return "line ends with \\r, which the peer would strip";
        }
        return null;
    }
}
