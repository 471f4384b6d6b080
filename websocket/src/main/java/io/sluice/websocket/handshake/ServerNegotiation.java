package io.sluice.websocket.handshake;

import io.sluice.websocket.PerMessageDeflate;
import io.sluice.websocket.WebSocketVersion;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpResponseHead;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The server's checks of an opening handshake (RFC 6455 §4.2.1) and the answer it builds (§4.2.2), plus the legacy
 * Hixie-76 form. Each rule that fails is one refusal with its status and a short reason. Pure: no I/O, no buffers.
 */
final class ServerNegotiation {

    static final String SUPPORTED_VERSIONS = "13, 8, 7";

    /** What the server accepts, from {@link ServerHandshake}'s settings. */
    record Policy(Set<String> paths, List<String> subprotocols, Set<String> allowedOrigins,
                  ServerDeflateOptions deflate, boolean hixie76, boolean secure) {
    }

    private ServerNegotiation() {
    }

    static Decision decide(HttpRequestHead request, Policy policy) {
        HttpHeaders h = request.headers();
        if (request.isHttp11() && h.count("Host") != 1) {
            return new Decision.Refuse(400, h.contains("Host") ? "more than one Host header" : "missing Host header");
        }
        if (!h.containsToken("Upgrade", "websocket")) {
            return new Decision.Plain();
        }
        if (!request.method().equals("GET")) {
            return new Decision.Refuse(400, "a WebSocket upgrade must use GET");
        }
        if (!request.isHttp11()) {
            return new Decision.Refuse(400, "a WebSocket upgrade needs HTTP/1.1");
        }
        if (!h.containsToken("Connection", "Upgrade")) {
            return new Decision.Refuse(400, "Connection header does not contain Upgrade");
        }
        if (!policy.paths().isEmpty() && !policy.paths().contains(request.path())) {
            return new Decision.Refuse(404, "no WebSocket endpoint at " + request.path());
        }
        List<String> versions = h.getAll("Sec-WebSocket-Version");
        if (versions.isEmpty()) {
            if (policy.hixie76() && h.contains("Sec-WebSocket-Key1") && h.contains("Sec-WebSocket-Key2")) {
                return hixie76(request, policy);
            }
            return unsupportedVersion("missing Sec-WebSocket-Version");
        }
        WebSocketVersion version = versions.size() != 1 ? null : switch (versions.get(0)) {
            case "13" -> WebSocketVersion.RFC6455;
            case "8" -> WebSocketVersion.HYBI_08;
            case "7" -> WebSocketVersion.HYBI_07;
            default -> null;
        };
        if (version == null) {
            return unsupportedVersion("unsupported Sec-WebSocket-Version " + String.join(", ", versions));
        }
        List<String> keys = h.getAll("Sec-WebSocket-Key");
        if (keys.isEmpty()) {
            return new Decision.Refuse(400, "missing Sec-WebSocket-Key");
        }
        if (keys.size() != 1 || !AcceptKey.isValidKey(keys.get(0))) {
            return new Decision.Refuse(400, "invalid Sec-WebSocket-Key");
        }
        String originHeader = version == WebSocketVersion.RFC6455 ? "Origin" : "Sec-WebSocket-Origin";
        Decision.Refuse badOrigin = checkOrigin(h, originHeader, policy);
        if (badOrigin != null) {
            return badOrigin;
        }
        HttpHeaders response = HttpHeaders.of(
                "Upgrade", "websocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Accept", AcceptKey.accept(keys.get(0)));
        String subprotocol = selectSubprotocol(h.tokens("Sec-WebSocket-Protocol"), policy.subprotocols());
        if (subprotocol != null) {
            response = response.with("Sec-WebSocket-Protocol", subprotocol);
        }
        PerMessageDeflate deflate = null;
        String extensions = h.joined("Sec-WebSocket-Extensions");
        if (policy.deflate() != null && extensions != null) {
            List<ExtensionOffer> offers;
            try {
                offers = ExtensionHeader.parse(extensions);
            } catch (ExtensionHeader.MalformedExtensionsException e) {
                return new Decision.Refuse(400, "malformed Sec-WebSocket-Extensions: " + e.getMessage());
            }
            DeflateNegotiation.Accepted accepted = DeflateNegotiation.negotiate(offers, policy.deflate());
            if (accepted != null) {
                deflate = accepted.agreed();
                response = response.with("Sec-WebSocket-Extensions", accepted.response());
            }
        }
        return new Decision.Upgrade(version, HttpResponseHead.of(101, response), subprotocol, deflate, -1, -1);
    }

    private static Decision hixie76(HttpRequestHead request, Policy policy) {
        HttpHeaders h = request.headers();
        long key1 = h.count("Sec-WebSocket-Key1") == 1 ? Hixie76.keyNumber(h.get("Sec-WebSocket-Key1")) : -1;
        if (key1 < 0) {
            return new Decision.Refuse(400, "invalid Sec-WebSocket-Key1");
        }
        long key2 = h.count("Sec-WebSocket-Key2") == 1 ? Hixie76.keyNumber(h.get("Sec-WebSocket-Key2")) : -1;
        if (key2 < 0) {
            return new Decision.Refuse(400, "invalid Sec-WebSocket-Key2");
        }
        String origin = h.get("Origin");
        if (origin == null) {
            return new Decision.Refuse(400, "missing Origin");
        }
        Decision.Refuse badOrigin = checkOrigin(h, "Origin", policy);
        if (badOrigin != null) {
            return badOrigin;
        }
        // The resource name is the target's path and query; an absolute-form target names the host itself.
        String host = request.authority() != null ? request.authority() : h.get("Host");
        String location = (policy.secure() ? "wss://" : "ws://") + host + request.originForm();
        HttpHeaders response = HttpHeaders.of(
                "Upgrade", "WebSocket",
                "Connection", "Upgrade",
                "Sec-WebSocket-Origin", origin,
                "Sec-WebSocket-Location", location);
        // Hixie-76 names one subprotocol, echoed as it came.
        String requested = h.get("Sec-WebSocket-Protocol");
        String subprotocol = requested != null && policy.subprotocols().contains(requested) ? requested : null;
        if (subprotocol != null) {
            response = response.with("Sec-WebSocket-Protocol", subprotocol);
        }
        HttpResponseHead head = new HttpResponseHead("HTTP/1.1", 101, "WebSocket Protocol Handshake", response);
        return new Decision.Upgrade(WebSocketVersion.HIXIE_76, head, subprotocol, null, key1, key2);
    }

    private static Decision.Refuse checkOrigin(HttpHeaders h, String header, Policy policy) {
        if (h.count(header) > 1) {
            return new Decision.Refuse(400, "more than one " + header + " header");
        }
        String origin = h.get(header);
        if (origin == null || policy.allowedOrigins().isEmpty()
                || policy.allowedOrigins().contains(origin.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return new Decision.Refuse(403, "origin not allowed: " + origin);
    }

    /** The first of the server's subprotocols, in its order of preference, that the client offered. */
    private static String selectSubprotocol(List<String> offered, List<String> supported) {
        for (String candidate : supported) {
            if (offered.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Decision.Refuse unsupportedVersion(String reason) {
        return new Decision.Refuse(426, reason, HttpHeaders.of(
                "Upgrade", "websocket",
                "Sec-WebSocket-Version", SUPPORTED_VERSIONS));
    }
}
