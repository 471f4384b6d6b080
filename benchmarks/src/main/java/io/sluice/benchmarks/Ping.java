package io.sluice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One byte to an echo server and back. Over TLS this proves that both sides finished the handshake: the server
 * could decrypt it, so it had the client's Finished. The connection goes on reading (and releasing what arrives)
 * afterwards, as an idle client would, until it closes.
 */
final class Ping {

    private Ping() {
    }

    /** Completes once a byte has come back; errors if the connection fails or ends first. */
    static Mono<Void> ping(Connection c) {
        return Mono.defer(() -> {
            Sinks.Empty<Void> back = Sinks.empty();
            c.receive().subscribe(buf -> {
                buf.release();
                back.tryEmitEmpty();
            }, back::tryEmitError, () -> back.tryEmitError(new IllegalStateException("connection "
                    + c.info().id() + " ended before the ping came back")));
            ByteBuf one = c.budget().allocator().buffer(1).writeByte('.');
            c.send(Mono.just(one)).subscribe(null, back::tryEmitError);
            return back.asMono();
        });
    }
}
