package io.sluice.websocket.handshake;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Sends one buffer made on demand, so that nothing leaks whatever happens to the send: the buffer is made only when
 * the connection subscribes to the data, and a resource it is made from (a response body) is released by
 * {@code release} if it never was.
 */
final class SendOnce {

    private SendOnce() {
    }

    /** Sends the buffer {@code make} returns; {@code leftover} releases what {@code make} would have consumed. */
    static <T> Mono<Void> send(Connection connection, T source, Function<T, ByteBuf> make,
                               Consumer<T> leftover) {
        AtomicReference<T> slot = new AtomicReference<>(source);
        return connection.send(Mono.fromCallable(() -> {
                    T s = slot.getAndSet(null);
                    return s == null ? null : make.apply(s);
                }))
                .doFinally(signal -> {
                    T s = slot.getAndSet(null);
                    if (s != null) {
                        leftover.accept(s);
                    }
                });
    }

    /** Sends the buffer {@code make} returns, made when the connection asks for it. */
    static Mono<Void> send(Connection connection, Supplier<ByteBuf> make) {
        return connection.send(Mono.fromSupplier(make));
    }
}
