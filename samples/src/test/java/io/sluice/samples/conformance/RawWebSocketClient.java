package io.sluice.samples.conformance;

import static io.sluice.samples.conformance.WireFrames.CLOSE;

import io.sluice.samples.conformance.WireFrames.Frame;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Random;

/**
 * A WebSocket client written for these tests over a plain {@link Socket}, sharing no code with Sluice, for what
 * Node's {@code ws} cannot send: a {@code Sec-WebSocket-Extensions} header written verbatim (several offers in one
 * field, window bits 8), frames whose payload is an arbitrary slice of a deflate stream, and frames written to the
 * socket in small chops. Unlike {@link WirePeer} it reads only when asked, one frame at a time, and interprets
 * nothing but the frame layout (RFC 6455 §5.2).
 */
final class RawWebSocketClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Random masks = new Random(7);
    private final WireHandshake.Response response;

    private RawWebSocketClient(Socket socket, int port, String extensions) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.response = WireHandshake.upgrade(out, in, port, extensions, masks);
    }

    /** Opens the connection with {@code extensions} as the request's extension header (none when null). */
    static RawWebSocketClient connect(int port, String extensions) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        try {
            return new RawWebSocketClient(socket, port, extensions);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    String statusLine() {
        return response.statusLine();
    }

    /** The response header's value, or null. */
    String header(String name) {
        return response.header(name);
    }

    /** Sends one masked frame, written to the socket in pieces of {@code chop} bytes (0: in one write). */
    void send(int opcode, boolean fin, boolean rsv1, byte[] payload, int chop) throws IOException {
        WireFrames.write(out, WireFrames.masked(opcode, fin, rsv1 ? WireFrames.RSV1 : 0, payload, masks), chop, 0);
    }

    /** The next frame from the server, which must not be masked. */
    Frame receive() throws IOException {
        Frame frame = WireFrames.read(in);
        if (frame == null) {
            throw new EOFException("the connection ended");
        }
        return frame;
    }

    /** Sends a close frame with {@code code}. */
    void sendClose(int code) throws IOException {
        send(CLOSE, true, false, WireFrames.closePayload(code, new byte[0]), 0);
    }

    /** Whether the server closes the TCP connection (EOF) within the socket's timeout. */
    boolean serverClosesConnection() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
