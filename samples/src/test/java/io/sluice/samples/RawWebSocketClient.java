package io.sluice.samples;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A WebSocket client written for these tests over a plain {@link Socket}, sharing no code with Sluice, for what
 * Node's {@code ws} cannot send: a {@code Sec-WebSocket-Extensions} header written verbatim (several offers in one
 * field, window bits 8), frames whose payload is an arbitrary slice of a deflate stream, and frames written to the
 * socket in small chops. Frames go out masked; nothing is interpreted but the frame layout (RFC 6455 §5.2).
 */
final class RawWebSocketClient implements AutoCloseable {

    /** One frame as received. */
    record Frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String statusLine;
    private final Map<String, String> headers;
    private final Random masks = new Random(7);

    private RawWebSocketClient(Socket socket, String statusLine, Map<String, String> headers) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.statusLine = statusLine;
        this.headers = headers;
    }

    /** Opens the connection with {@code extensions} as the request's extension header (none when null). */
    static RawWebSocketClient connect(int port, String extensions) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        byte[] key = new byte[16];
        new Random(port).nextBytes(key);
        String request = "GET / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String status = readLine(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new RawWebSocketClient(socket, status, headers);
    }

    String statusLine() {
        return statusLine;
    }

    /** The response header's value, or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Sends one masked frame, written to the socket in pieces of {@code chop} bytes (0: in one write). */
    void send(int opcode, boolean fin, boolean rsv1, byte[] payload, int chop) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        masks.nextBytes(mask);
        frame.write(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.write(masked);
        byte[] bytes = frame.toByteArray();
        if (chop <= 0) {
            out.write(bytes);
        } else {
            for (int at = 0; at < bytes.length; at += chop) {
                out.write(bytes, at, Math.min(chop, bytes.length - at));
                out.flush();
            }
        }
        out.flush();
    }

    /** The next frame from the server, which must not be masked. */
    Frame receive() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server masked a frame");
        }
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("frame too long: " + length);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("the connection ended inside a frame");
        }
        return new Frame((b0 & 0x80) != 0, (b0 & 0x40) != 0, b0 & 0x0f, payload);
    }

    /** Sends a close frame with {@code code}. */
    void sendClose(int code) throws IOException {
        send(0x8, true, false, new byte[] {(byte) (code >>> 8), (byte) code}, 0);
    }

    /** Whether the server closes the TCP connection (EOF) within the socket's timeout. */
    boolean serverClosesConnection() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended");
        }
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection ended in the response head: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
