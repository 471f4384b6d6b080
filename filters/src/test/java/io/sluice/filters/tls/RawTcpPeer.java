package io.sluice.filters.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server on 127.0.0.1 that nobody would ship: each connection it accepts gets {@code behaviour} (reset it,
 * answer in plaintext, ...) on one plain thread of its own, one connection after another. {@link #close()} closes
 * the listening socket and every accepted one and waits for the thread. No buffers: plain Java sockets.
 */
final class RawTcpPeer implements AutoCloseable {

    /** What to do with one accepted connection; may block (not an event loop). */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket listener;
    private final Thread thread;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    RawTcpPeer(Behaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    accepted.add(socket);
                    behaviour.serve(socket);
                } catch (IOException e) {
                    // closed, or the client went away: next one
                }
            }
        }, "raw-tcp-peer");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Closes {@code socket} with a TCP reset (RST) rather than an orderly FIN. */
    static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        thread.join(5000);
    }
}
