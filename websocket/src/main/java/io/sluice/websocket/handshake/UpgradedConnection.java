package io.sluice.websocket.handshake;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.websocket.http.HeadReader;
import reactor.core.publisher.Flux;

/**
 * The connection after a handshake: {@link #receive()} is the rest of the lower stream the head was read from,
 * starting with the bytes that followed the head; sending goes straight to the lower connection. Ownership as in
 * {@link HandshakeResult}: {@link #close()} releases the held bytes if {@code receive()} was never subscribed.
 */
final class UpgradedConnection extends ConnectionLayer {

    private final HeadReader<?> reader;

    UpgradedConnection(Connection lower, HeadReader<?> reader) {
        super(lower);
        this.reader = reader;
    }

    @Override
    public Flux<ByteBuf> receive() {
        return reader.remainder();
    }

    @Override
    public void close() {
        reader.dispose();
        lower.close();
    }
}
