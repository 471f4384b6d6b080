package io.sluice.websocket.handshake;

/**
 * How a server answers permessage-deflate offers (RFC 7692 §7). The server compresses with a 15-bit window; when an
 * offer asks for {@code server_max_window_bits} below 15 the server agrees and keeps to it by compressing with
 * Huffman coding alone (the JDK's {@code Deflater} cannot narrow its window; output without back-references fits any
 * window, at a lower ratio). It can inflate whatever window the client uses.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message, and says so, whether or not
 *                                the client asked (saves memory per connection, costs ratio)
 * @param clientNoContextTakeover the server asks the client to reset its compressor after each message, so the
 *                                server's decompressor keeps no window between messages
 * @param clientMaxWindowBits     8..15: the window the server asks the client to stay within, when the client's offer
 *                                carries {@code client_max_window_bits} (a client that does not send it cannot be
 *                                asked, and uses up to 15)
 */
public record ServerDeflateOptions(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                   int clientMaxWindowBits) {

    /** Context takeover both ways, no window limits: the best ratio. */
    public static final ServerDeflateOptions DEFAULT = new ServerDeflateOptions(false, false, 15);

    public ServerDeflateOptions {
        DeflateParams.requireWindowBits("client max window bits", clientMaxWindowBits);
    }
}
