package io.sluice.api;

/** The peer reset the connection: inbound data ends with this error and pending sends fail with it. */
public class ConnectionResetException extends ConnectionClosedException {

    private static final long serialVersionUID = 1L;

    public ConnectionResetException(String message) {
        super(message);
    }
}
