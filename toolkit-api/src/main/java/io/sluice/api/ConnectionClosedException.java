package io.sluice.api;

import java.io.IOException;

/** A send or receive ended because the connection was closed (locally, or by the peer) before it finished. */
public class ConnectionClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
        super(message);
    }
}
