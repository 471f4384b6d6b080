package io.sluice.samples.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The opening handshake of RFC 6455 §4.1 as the raw test clients ({@link WirePeer}, {@link RawWebSocketClient}) do
 * it over a blocking socket: the request head the compliance suite's client sends, with an optional
 * {@code Sec-WebSocket-Extensions} offer written verbatim, and the response head read byte by byte, so that not one
 * byte of the first frame is taken with it.
 */
final class WireHandshake {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_RESPONSE_HEAD = 8192;

    private WireHandshake() {
    }

    /** The server's response head: its status line, and its headers by lower-cased name. */
    record Response(String statusLine, Map<String, String> headers, String head) {

        boolean switchesProtocols() {
            return statusLine.startsWith("HTTP/1.1 101 ");
        }

        /** The header's value, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Sends the upgrade request to 127.0.0.1:{@code port}, offering {@code extensions} (none when null), and reads
     * the response. A response that switches protocols must carry the {@code Sec-WebSocket-Accept} of the key sent.
     */
    static Response upgrade(OutputStream out, InputStream in, int port, String extensions, Random nonces)
            throws IOException {
        byte[] nonce = new byte[16];
        nonces.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        // The request head the suite's client sends, its capitalised "WebSocket" token included.
        String request = "GET / HTTP/1.1\r\nUser-Agent: WirePeer\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nPragma: no-cache\r\nCache-Control: no-cache\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readResponseHead(in);
        List<String> lines = head.lines().toList();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        Response response = new Response(lines.get(0), headers, head);
        if (response.switchesProtocols() && !acceptFor(key).equals(response.header("Sec-WebSocket-Accept"))) {
            throw new IllegalStateException("wrong Sec-WebSocket-Accept: " + head);
        }
        return response;
    }

    private static String readResponseHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_RESPONSE_HEAD) {
                throw new EOFException("no complete response head: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII).strip();
    }

    private static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
