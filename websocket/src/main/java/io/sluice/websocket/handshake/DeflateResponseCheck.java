package io.sluice.websocket.handshake;

import io.sluice.websocket.PerMessageDeflate;
import java.util.List;

/**
 * The client's check of the extensions a server accepted (RFC 6455 §4.1, RFC 7692 §5.1, §7.1): only
 * permessage-deflate, only if offered, once, with valid parameters that answer the offer. Any breach fails the
 * handshake.
 */
final class DeflateResponseCheck {

    private DeflateResponseCheck() {
    }

    /** The agreed parameters, or null when the server accepted no extension. */
    static PerMessageDeflate check(List<ExtensionOffer> accepted, ClientDeflateOptions offered) {
        PerMessageDeflate agreed = null;
        for (ExtensionOffer extension : accepted) {
            if (!DeflateParams.isDeflate(extension) || offered == null) {
                throw new HandshakeException("the server accepted extension " + extension.name()
                        + ", which was not offered");
            }
            if (agreed != null) {
                throw new HandshakeException("the server accepted permessage-deflate twice");
            }
            agreed = agree(extension, offered);
        }
        return agreed;
    }

    private static PerMessageDeflate agree(ExtensionOffer extension, ClientDeflateOptions offered) {
        DeflateParams params;
        try {
            params = DeflateParams.of(extension);
        } catch (DeflateParams.InvalidParamsException e) {
            throw new HandshakeException("invalid permessage-deflate response: " + e.getMessage());
        }
        if (params.clientMaxWindowBitsPresent()) {
            // §7.1.2.2: a response may carry it only if the offer did, and ours never does (15-bit Deflater only).
            throw new HandshakeException("the server sent client_max_window_bits, which was not offered");
        }
        int serverBits = 15;
        if (params.serverMaxWindowBits() != null) {
            serverBits = params.serverMaxWindowBits();
            if (serverBits > offered.serverMaxWindowBits()) {
                throw new HandshakeException("the server's server_max_window_bits=" + serverBits
                        + " exceeds the offered " + offered.serverMaxWindowBits());
            }
        }
        return new PerMessageDeflate(params.serverNoContextTakeover(),
                params.clientNoContextTakeover() || offered.clientNoContextTakeover(), serverBits, 15);
    }
}
