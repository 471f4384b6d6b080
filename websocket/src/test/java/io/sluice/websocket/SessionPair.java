package io.sluice.websocket;

import static io.sluice.websocket.RawPeer.TIMEOUT;

import io.sluice.api.pipe.Pipe;
import io.sluice.api.pipe.PipeOptions;
import reactor.core.publisher.Mono;

/** A client session and a server session over one pipe; {@link #close()} ends both and waits for the pipe. */
final class SessionPair {

    final Pipe pipe;
    final WebSocketSession client;
    final WebSocketSession server;

    SessionPair(PipeOptions options, WebSocketSettings settings, PerMessageDeflate deflate) {
        this.pipe = Pipe.create(options);
        this.client = WebSocketSession.create(pipe.left(), WebSocketRole.CLIENT, WebSocketVersion.RFC6455, null,
                deflate, settings);
        this.server = WebSocketSession.create(pipe.right(), WebSocketRole.SERVER, WebSocketVersion.RFC6455, null,
                deflate, settings);
    }

    /** The server echoes every message whole. */
    SessionPair echoWhole() {
        server.send(server.receive()).subscribe(null, e -> { });
        return this;
    }

    /** The server echoes every fragment as it arrives. */
    SessionPair echoFragments() {
        server.send(server.receiveFragments()).subscribe(null, e -> { });
        return this;
    }

    /** The client closes normally; both sessions end with 1000, then the pipe closes. */
    void close() {
        client.close();
        Mono.when(client.closeStatus(), server.closeStatus()).block(TIMEOUT);
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(TIMEOUT);
    }
}
