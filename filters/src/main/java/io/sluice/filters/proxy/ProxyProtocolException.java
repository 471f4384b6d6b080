package io.sluice.filters.proxy;

import java.io.IOException;

/**
 * A connection refused by the server side of the PROXY protocol: an invalid or truncated header, a header that did
 * not arrive within the timeout, a missing header where one is required, or a header from an untrusted source. The
 * connection is closed without a byte passed on; the message says what was wrong.
 */
public class ProxyProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProxyProtocolException(String message) {
        super(message);
    }
}
