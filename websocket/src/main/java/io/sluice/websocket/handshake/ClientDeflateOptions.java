package io.sluice.websocket.handshake;

/**
 * The permessage-deflate offer a client makes (RFC 7692 §7). The client compresses with a 15-bit window (the JDK's
 * {@code Deflater} writes nothing smaller), so it never offers {@code client_max_window_bits}; it inflates whatever
 * window the server uses.
 *
 * @param serverNoContextTakeover asks the server to reset its compressor after each message
 * @param clientNoContextTakeover tells the server this client resets its compressor after each message
 * @param serverMaxWindowBits     8..15: asks the server to stay within this window; 15 asks nothing. A server that
 *                                cannot honour a smaller window declines the offer, and the connection goes uncompressed
 */
public record ClientDeflateOptions(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                   int serverMaxWindowBits) {

    /** A plain offer: context takeover both ways, no window limit. */
    public static final ClientDeflateOptions DEFAULT = new ClientDeflateOptions(false, false, 15);

    public ClientDeflateOptions {
        DeflateParams.requireWindowBits("server max window bits", serverMaxWindowBits);
    }

    /** The offer as a {@code Sec-WebSocket-Extensions} element. */
    String offer() {
        StringBuilder sb = new StringBuilder(DeflateParams.EXTENSION);
        if (serverNoContextTakeover) {
            sb.append("; ").append(DeflateParams.SERVER_NO_CONTEXT_TAKEOVER);
        }
        if (clientNoContextTakeover) {
            sb.append("; ").append(DeflateParams.CLIENT_NO_CONTEXT_TAKEOVER);
        }
        if (serverMaxWindowBits < 15) {
            sb.append("; ").append(DeflateParams.SERVER_MAX_WINDOW_BITS).append('=').append(serverMaxWindowBits);
        }
        return sb.toString();
    }
}
