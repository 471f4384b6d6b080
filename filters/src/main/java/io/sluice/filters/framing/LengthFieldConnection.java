package io.sluice.filters.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/** The upper connection of a {@link LengthFieldFraming}; ownership as documented there. */
final class LengthFieldConnection extends ConnectionLayer {

    private final int fieldBytes;
    private final int maxFrameLength;

    LengthFieldConnection(Connection lower, int fieldBytes, int maxFrameLength) {
        super(lower);
        this.fieldBytes = fieldBytes;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public Flux<ByteBuf> receive() {
        return FrameDecoder.receive(lower, new LengthFieldParser(fieldBytes, maxFrameLength));
    }

    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return lower.send(Flux.<ByteBuf>from(data).handle(this::encode));
    }

    private void encode(ByteBuf payload, SynchronousSink<ByteBuf> sink) {
        int length = payload.readableBytes();
        if (length > maxFrameLength) {
            payload.release();
            sink.error(new IllegalArgumentException(
                    "frame of " + length + " bytes exceeds the limit of " + maxFrameLength));
            return;
        }
        ByteBufAllocator alloc = lower.budget().allocator();
        ByteBuf header;
        try {
            header = alloc.buffer(fieldBytes, fieldBytes);
        } catch (RuntimeException e) {
            payload.release();
            sink.error(e);
            return;
        }
        switch (fieldBytes) {
            case 1 -> header.writeByte(length);
            case 2 -> header.writeShort(length);
            default -> header.writeInt(length);
        }
        sink.next(alloc.compositeBuffer(2).addComponents(true, header, payload));
    }
}
