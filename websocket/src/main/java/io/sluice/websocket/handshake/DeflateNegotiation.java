package io.sluice.websocket.handshake;

import io.sluice.websocket.PerMessageDeflate;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's side of permessage-deflate negotiation (RFC 7692 §5, §7): takes the client's offers in its order of
 * preference, declines each one that is invalid (unknown or duplicate parameter, invalid value: §7 says decline, not
 * fail), and accepts the first one left. Every valid offer can be honoured: a {@code server_max_window_bits} below
 * 15 is agreed to, and kept by compressing with Huffman coding alone (no back-references).
 */
final class DeflateNegotiation {

    /** The agreed parameters and the {@code Sec-WebSocket-Extensions} element that says so. */
    record Accepted(PerMessageDeflate agreed, String response) {
    }

    private DeflateNegotiation() {
    }

    /** The accepted offer, or null when every permessage-deflate offer was declined (or none was made). */
    static Accepted negotiate(List<ExtensionOffer> offers, ServerDeflateOptions options) {
        for (ExtensionOffer offer : offers) {
            if (!DeflateParams.isDeflate(offer)) {
                continue;
            }
            DeflateParams params;
            try {
                params = DeflateParams.of(offer);
            } catch (DeflateParams.InvalidParamsException invalid) {
                continue;
            }
            Accepted accepted = accept(params, options);
            if (accepted != null) {
                return accepted;
            }
        }
        return null;
    }

    private static Accepted accept(DeflateParams offer, ServerDeflateOptions options) {
        List<String> response = new ArrayList<>();
        response.add(DeflateParams.EXTENSION);
        boolean serverNoContext = offer.serverNoContextTakeover() || options.serverNoContextTakeover();
        if (serverNoContext) {
            response.add(DeflateParams.SERVER_NO_CONTEXT_TAKEOVER);
        }
        boolean clientNoContext = offer.clientNoContextTakeover() || options.clientNoContextTakeover();
        if (clientNoContext) {
            response.add(DeflateParams.CLIENT_NO_CONTEXT_TAKEOVER);
        }
        // A smaller server window is kept by compressing with Huffman coding alone: the JDK's Deflater cannot
        // narrow its 15-bit window, and output without back-references fits any window (PerMessageDeflater).
        int serverBits = offer.serverMaxWindowBits() == null ? 15 : offer.serverMaxWindowBits();
        if (offer.serverMaxWindowBits() != null) {
            response.add(DeflateParams.SERVER_MAX_WINDOW_BITS + "=" + serverBits);
        }
        int clientBits = 15;
        if (offer.clientMaxWindowBitsPresent()) {
            int offered = offer.clientMaxWindowBits() == null ? 15 : offer.clientMaxWindowBits();
            clientBits = Math.min(offered, options.clientMaxWindowBits());
            if (offer.clientMaxWindowBits() != null || clientBits < 15) {
                response.add(DeflateParams.CLIENT_MAX_WINDOW_BITS + "=" + clientBits);
            }
        }
        return new Accepted(new PerMessageDeflate(serverNoContext, clientNoContext, serverBits, clientBits),
                String.join("; ", response));
    }
}
