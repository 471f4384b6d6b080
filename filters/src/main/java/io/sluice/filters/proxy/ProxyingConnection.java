package io.sluice.filters.proxy;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.operator.EndSubscriber;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The upper connection of a {@link ProxyProtocolClient}: the header is sent as soon as the filter is applied, before
 * any send of the application (sends are written in the order they are subscribed); everything else is the lower
 * connection's.
 */
final class ProxyingConnection extends ConnectionLayer {

    ProxyingConnection(Connection lower, byte[] header) {
        super(lower);
        // The buffer is made when the lower connection takes it, so a send that never starts holds nothing.
        Mono<ByteBuf> headerBuffer = Mono.fromCallable(() ->
                lower.budget().allocator().buffer(header.length, header.length).writeBytes(header));
        lower.send(headerBuffer).subscribe(EndSubscriber.calling(error -> {
            if (error != null) {
                Logger log = Loggers.getLogger(ProxyProtocol.class);
                if (log.isDebugEnabled()) {
                    log.debug("connection {}: the PROXY protocol header was not sent: {}", lower.info().id(),
                            error.toString());
                }
                lower.close();
            }
        }));
    }

    @Override
    public String toString() {
        return "ProxyingConnection" + info();
    }
}
