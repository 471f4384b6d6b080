package io.sluice.filters.tls;

import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A client and a server {@link SSLEngine} talking through memory, for tests without the TLS driver: each turn
 * wraps what one engine has to send into a heap buffer and unwraps it on the other, running delegated tasks inline,
 * until neither has anything left to say. An engine that throws is recorded as failed and still asked to wrap, so
 * that its alert reaches the peer. Test thread only. {@link #close()} releases OpenSSL engines.
 */
final class EnginePair implements AutoCloseable {

    private static final int MAX_TURNS = 200;

    final Side client;
    final Side server;

    EnginePair(SSLEngine client, SSLEngine server) {
        this.client = new Side("client", client);
        this.server = new Side("server", server);
    }

    /** Runs the handshake to its end, successful or not. */
    EnginePair handshake() {
        try {
            client.engine.beginHandshake();
            server.engine.beginHandshake();
        } catch (SSLException e) {
            throw new AssertionError("beginHandshake failed", e);
        }
        pump();
        return this;
    }

    boolean succeeded() {
        return client.failure == null && server.failure == null && client.finished && server.finished;
    }

    /** Sends {@code data} from {@code from} to its peer and returns what the peer received. */
    byte[] send(Side from, byte[] data) {
        Side to = from == client ? server : client;
        to.received = new byte[0];
        ByteBuffer source = ByteBuffer.wrap(data);
        while (source.hasRemaining()) {
            from.wrap(source);
            pump();
        }
        pump();
        return to.received;
    }

    private void pump() {
        for (int turn = 0; turn < MAX_TURNS; turn++) {
            boolean moved = client.wrap(ByteBuffer.allocate(0)) | server.receive(client.network);
            moved |= server.wrap(ByteBuffer.allocate(0)) | client.receive(server.network);
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("engines still talking after " + MAX_TURNS + " turns");
    }

    @Override
    public void close() {
        ReferenceCountUtil.release(client.engine);
        ReferenceCountUtil.release(server.engine);
    }

    /** One engine with its outbound network bytes (write mode) and what it has received so far. */
    static final class Side {
        final String name;
        final SSLEngine engine;
        final ByteBuffer network = ByteBuffer.allocate(1 << 18);
        SSLException failure;
        boolean finished;
        byte[] received = new byte[0];

        Side(String name, SSLEngine engine) {
            this.name = name;
            this.engine = engine;
        }

        SSLSession session() {
            return engine.getSession();
        }

        /** Wraps as much as the engine produces; true if it produced bytes. */
        boolean wrap(ByteBuffer source) {
            boolean produced = false;
            for (int i = 0; i < 64; i++) {
                SSLEngineResult result;
                try {
                    result = engine.wrap(source, network);
                } catch (SSLException e) {
                    fail(e);
                    return produced;
                }
                runTasks(result);
                produced |= result.bytesProduced() > 0;
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    throw new AssertionError(name + " network buffer full");
                }
                if (result.bytesProduced() == 0 && result.bytesConsumed() == 0) {
                    return produced;
                }
            }
            return produced;
        }

        /** Unwraps what {@code peerNetwork} (the peer's outbound buffer) holds; true if it consumed bytes. */
        boolean receive(ByteBuffer peerNetwork) {
            peerNetwork.flip();
            boolean consumed = false;
            try {
                while (peerNetwork.hasRemaining()) {
                    ByteBuffer application = ByteBuffer.allocate(1 << 17);
                    SSLEngineResult result;
                    try {
                        result = engine.unwrap(peerNetwork, application);
                    } catch (SSLException e) {
                        fail(e);
                        peerNetwork.position(peerNetwork.limit());
                        return true;
                    }
                    runTasks(result);
                    application.flip();
                    byte[] data = new byte[application.remaining()];
                    application.get(data);
                    received = concat(received, data);
                    consumed |= result.bytesConsumed() > 0;
                    if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                            peerNetwork.position(peerNetwork.limit());
                        }
                        break;
                    }
                }
            } finally {
                peerNetwork.compact();
            }
            return consumed;
        }

        private void runTasks(SSLEngineResult result) {
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                finished = true;
            }
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                finished = true;
            }
        }

        private void fail(SSLException e) {
            if (failure == null) {
                failure = e;
            }
        }

        private static byte[] concat(byte[] a, byte[] b) {
            if (b.length == 0) {
                return a;
            }
            byte[] joined = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            return joined;
        }

        @Override
        public String toString() {
            return name + (failure != null ? " failed: " + failure : finished ? " finished" : " not finished");
        }
    }
}
