package io.sluice.websocket.handshake;

import io.sluice.websocket.PerMessageDeflate;
import io.sluice.websocket.WebSocketVersion;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpResponseHead;

/** What a server does with a request head: refuse it, hand it to the plain HTTP handler, or upgrade. */
sealed interface Decision {

    /** Answer {@code status} with {@code reason} as the body, and close. */
    record Refuse(int status, String reason, HttpHeaders headers) implements Decision {
        Refuse(int status, String reason) {
            this(status, reason, HttpHeaders.empty());
        }
    }

    /** Not a WebSocket upgrade: the plain HTTP handler answers. */
    record Plain() implements Decision {
    }

    /**
     * Switch protocols with {@code response}. For Hixie-76 the two key numbers are set and the response is complete
     * only with the answer to the challenge, read after the head.
     */
    record Upgrade(WebSocketVersion version, HttpResponseHead response, String subprotocol, PerMessageDeflate deflate,
                   long hixieKey1, long hixieKey2) implements Decision {

        boolean needsChallenge() {
            return version == WebSocketVersion.HIXIE_76;
        }
    }
}
