package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import io.sluice.test.StepFault;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Filters to put below TLS on a socket, to treat the records as a hostile network would. Ownership: each takes the
 * buffers it is given and hands them, or slices of them, to the connection below (which releases what it is handed,
 * sent or not); a buffer's slices keep it alive until the last is released.
 */
final class LowerFaults {

    private LowerFaults() {
    }

    /** Every buffer sent goes out one byte per write. */
    static Filter oneBytePerWrite() {
        return lower -> new ConnectionLayer(lower) {
            @Override
            public Mono<Void> send(Publisher<? extends ByteBuf> data) {
                return lower.send(Flux.<ByteBuf>from(data).concatMap(LowerFaults::bytesOf, 1));
            }
        };
    }

    /** The bytes received pass through {@code fault} (a cancel or an error after some buffers). */
    static Filter faultyReceive(StepFault fault) {
        return lower -> new ConnectionLayer(lower) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().transform(fault.operator());
            }
        };
    }

    private static Flux<ByteBuf> bytesOf(ByteBuf buf) {
        return Flux.<ByteBuf>generate(sink -> {
            if (buf.isReadable()) {
                sink.next(buf.readRetainedSlice(1));
            } else {
                sink.complete();
            }
        }).doFinally(signal -> buf.release());
    }
}
